// runTrial against a fake environment: the lifecycle's order, timeouts, cancellation at
// each phase and disposal, without Docker (the real-Docker cases are runner.itg.test.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Agent, AgentContext, AgentOutcome } from '../src/agents/types.js';
import type { Environments } from '../src/environment/types.js';
import { InfraError } from '../src/errors.js';
import type { TrialEvent } from '../src/events.js';
import { loadTask, type Task } from '../src/task/load.js';
import { testIdentity } from './helpers/identity.js';
import { fakeEnvironments, made, untilAborted } from './helpers/fake-env.js';
import { runTrial, type TrialOptions } from '../src/trial/runner.js';

function fakeAgent(behave: 'ok' | 'timeout' | 'hang' = 'ok'): Agent {
  return {
    name: 'fake',
    async run(ctx: AgentContext): Promise<AgentOutcome> {
      if (behave === 'hang') return { ...(await untilAborted(ctx.signal)) };
      if (behave === 'timeout')
        return {
          exitCode: -1,
          timedOut: true,
          aborted: false,
          error: { type: 'AgentTimeoutError', message: 'timed out' },
        };
      await ctx.env.exec('echo hi', { tag: 'agent' });
      return { exitCode: 0, timedOut: false, aborted: false };
    },
  };
}

let task: Task;
beforeAll(async () => {
  task = await loadTask(path.join(import.meta.dirname, '..', 'examples', 'tasks', 'hello-world'));
});
beforeEach(() => {
  made.length = 0;
});

const options: TrialOptions = { verifierMode: 'shared', forceBuild: false, pidsLimit: 0, maxLoggedBytes: 1 << 20 };

async function trial(
  environments: Environments,
  agent: Agent,
  opts: Partial<TrialOptions> = {},
  signal = new AbortController().signal,
) {
  const events: TrialEvent[] = [];
  const trialDir = mkdtempSync(path.join(tmpdir(), 'tb2-runner-'));
  const result = await runTrial(
    {
      task,
      attempt: 1,
      trialName: 'hello-world__abc1234',
      trialDir,
      runId: 'r',
      agent,
      options: { ...options, ...opts },
      identity: testIdentity(trialDir),
    },
    { environments, emit: (e) => events.push(e), signal },
  );
  const phases = events.flatMap((e) =>
    e.type === 'phase_start' || e.type === 'phase_end' ? [`${e.type === 'phase_start' ? '+' : '-'}${e.phase}`] : [],
  );
  return { result, events, phases };
}

test('the lifecycle in order: environment, agent, verifier, then the environment is stopped', async () => {
  const log: string[] = [];
  const { result, events, phases } = await trial(fakeEnvironments(log), fakeAgent());
  expect(phases).toEqual(['+environment', '-environment', '+agent', '-agent', '+verifier', '-verifier']);
  expect(log).toEqual(['main: exec agent', 'main: exec verifier', 'main: stop']);
  expect(result).toMatchObject({ status: 'completed', reward: 1, exception_info: null });
  expect(events.at(-1)?.type).toBe('run_complete');
  expect(made.map((e) => e.stopped)).toEqual([1]);
});

test('an environment that fails to start: an infrastructure error, no agent, no verifier, nothing to stop', async () => {
  const log: string[] = [];
  const { result, phases } = await trial(
    fakeEnvironments(log, { startFails: new InfraError('ImageBuildError', 'build failed') }),
    fakeAgent(),
  );
  expect(phases).toEqual(['+environment', '-environment']);
  expect(result).toMatchObject({
    status: 'error',
    exception_info: { exception_type: 'ImageBuildError', kind: 'infra' },
  });
  expect(log).toEqual([]);
});

test('an agent timeout is recorded and the verifier still runs', async () => {
  const { result, phases } = await trial(fakeEnvironments([]), fakeAgent('timeout'));
  expect(phases).toEqual(['+environment', '-environment', '+agent', '-agent', '+verifier', '-verifier']);
  expect(result).toMatchObject({
    status: 'completed',
    reward: 1,
    exception_info: { exception_type: 'AgentTimeoutError' },
  });
});

test('a verifier timeout: status error, VerifierTimeoutError, the environment still stopped', async () => {
  const { result } = await trial(fakeEnvironments([], { verifier: 'timeout' }), fakeAgent());
  expect(result).toMatchObject({
    status: 'error',
    reward: null,
    exception_info: { exception_type: 'VerifierTimeoutError' },
  });
  expect(made.map((e) => e.stopped)).toEqual([1]);
});

test('isolated mode verifies in a fresh environment; both are stopped, the fresh one last made, first stopped', async () => {
  const log: string[] = [];
  const { result } = await trial(fakeEnvironments(log), fakeAgent(), { verifierMode: 'isolated' });
  expect(result.status).toBe('completed');
  expect(log).toEqual([
    'main: exec agent',
    'main: isolate',
    'main: stop',
    'main-verify: exec verifier',
    'main-verify: stop',
    'main: stop',
  ]);
});

test.each<['environment' | 'agent' | 'verifier', Parameters<typeof fakeEnvironments>[1], Agent, number]>([
  ['environment', { startHangs: true }, fakeAgent(), 0],
  ['agent', {}, fakeAgent('hang'), 1],
  ['verifier', { verifier: 'hang' }, fakeAgent(), 1],
])(
  'cancelled during %s: status cancelled by the signal, every started environment stopped',
  async (phase, envOpts, agent, stops) => {
    const c = new AbortController();
    const running = trial(fakeEnvironments([], envOpts), agent, {}, c.signal);
    setTimeout(() => c.abort('SIGTERM'), 50);
    const { result, phases } = await running;
    expect(phases.at(-1)).toBe(`-${phase}`);
    expect(result).toMatchObject({
      status: 'cancelled',
      exception_info: { exception_type: 'CancelledError', exception_message: 'cancelled by SIGTERM' },
    });
    expect(made.map((e) => e.stopped)).toEqual(stops ? [stops] : []);
  },
);
