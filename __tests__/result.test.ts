import type { ErrorKind } from '../src/errors.js';
import type { TrialEvent } from '../src/events.js';
import { exitCodeOf } from '../src/result/exit-code.js';
import { aggregateJob, passAtK } from '../src/result/job.js';
import { applyEvent, decidingException, finalize, initialState } from '../src/result/reduce.js';
import type { TrialResult } from '../src/trial-result.js';
import { testIdentity } from './helpers/identity.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
type Body = TrialEvent extends infer E ? (E extends TrialEvent ? Omit<E, 'trial_name' | 'at'> : never) : never;

function reduce(bodies: Body[]): TrialResult {
  let s = initialState('t__1', at(0));
  bodies.forEach((b, i) => (s = applyEvent(s, { ...b, trial_name: 't__1', at: at(i) } as TrialEvent)));
  return finalize(s, at(bodies.length), testIdentity(), {});
}

const start: Body = { type: 'trial_start', task_name: 'task', task_dir: '/t', agent: 'oracle', attempt: 1 };
const verdict = (reward: number): Body => ({
  type: 'verifier_result',
  rewards: { reward },
  reward,
  tests: [
    { name: 'a', status: 'passed' },
    { name: 'b', status: 'failed' },
  ],
});

describe('events -> trial result', () => {
  test('a reward makes the trial completed; phases become timings', () => {
    const r = reduce([
      start,
      { type: 'phase_start', phase: 'agent' },
      { type: 'phase_end', phase: 'agent', ok: true },
      verdict(1),
    ]);
    expect(r).toMatchObject({
      status: 'completed',
      reward: 1,
      passed: true,
      tests_passed: 1,
      tests_total: 2,
      exception_info: null,
      verifier_result: { rewards: { reward: 1 } },
    });
    expect(r.agent_execution).toEqual({ started_at: at(1), finished_at: at(2) });
    expect(r.environment_setup).toBeNull();
  });
  test('an agent timeout is recorded but the trial still completes', () => {
    const r = reduce([
      start,
      { type: 'error', phase: 'agent', exception_type: 'AgentTimeoutError', message: 'timed out', fatal: false },
      verdict(0),
    ]);
    expect(r).toMatchObject({
      status: 'completed',
      reward: 0,
      passed: false,
      exception_info: { exception_type: 'AgentTimeoutError' },
    });
  });
  test('a missing reward file is an error; Harbor keeps the first exception, all are listed in order', () => {
    const r = reduce([
      start,
      { type: 'error', phase: 'agent', exception_type: 'NonZeroAgentExitCodeError', message: 'exit 1', fatal: false },
      {
        type: 'error',
        phase: 'verifier',
        exception_type: 'RewardFileNotFoundError',
        message: 'no reward',
        fatal: true,
      },
    ]);
    expect(r).toMatchObject({
      status: 'error',
      reward: null,
      passed: false,
      verifier_result: null,
      exception_info: { exception_type: 'NonZeroAgentExitCodeError', exception_traceback: expect.stringMatching(/\S/) },
    });
    expect(decidingException(r)?.exception_type).toBe('RewardFileNotFoundError');
    expect(r.exceptions.map((e) => e.exception_type)).toEqual(['NonZeroAgentExitCodeError', 'RewardFileNotFoundError']);
  });
  test('cancellation wins', () => {
    const r = reduce([
      start,
      verdict(1),
      { type: 'error', exception_type: 'CancelledError', message: 'cancelled by SIGTERM', fatal: true },
    ]);
    expect(r.status).toBe('cancelled');
    expect(exitCodeOf([r])).toBe(143);
  });
  test('passed means solved: reward >= 1', () => {
    expect(reduce([start, verdict(0.99)]).passed).toBe(false);
    expect(reduce([start, verdict(1.5)]).passed).toBe(true);
  });
});

describe('pass@k', () => {
  test.each([
    [5, 0, 1, 0],
    [5, 5, 3, 1],
    [5, 1, 1, 0.2],
    [4, 2, 2, 1 - 1 / 6], // 1 - C(2,2)/C(4,2)
    [3, 1, 2, 1 - 1 / 3], // 1 - C(2,2)/C(3,2)
    [10, 3, 5, 1 - 21 / 252], // 1 - C(7,5)/C(10,5)
  ])('n=%i c=%i k=%i', (n, c, k, want) => expect(passAtK(n, c, k)).toBeCloseTo(want, 12));
  test('k > n is refused', () => expect(() => passAtK(2, 1, 3)).toThrow(RangeError));
});

function trial(
  task: string,
  status: TrialResult['status'],
  reward: number | null,
  extra: Partial<TrialResult> = {},
): TrialResult {
  const r = reduce([{ ...start, task_name: task } as Body, ...(reward !== null ? [verdict(reward)] : [])]);
  return { ...r, status, reward, passed: reward !== null && reward >= 1, ...extra };
}

describe('job aggregation', () => {
  const trials = [
    trial('a', 'completed', 1, {
      agent_result: { n_input_tokens: 10, n_cache_tokens: 2, n_output_tokens: 5, cost_usd: 0.5, cost_estimated: false },
    }),
    trial('a', 'completed', 0),
    trial('a', 'error', null, {
      exceptions: [{ exception_type: 'RewardFileNotFoundError', exception_message: 'x', occurred_at: at(0) }],
    }),
    trial('b', 'completed', 1),
    trial('b', 'completed', 1),
    trial('b', 'completed', 0, {
      agent_result: { n_input_tokens: 1, n_cache_tokens: 0, n_output_tokens: 1, cost_usd: 0.25, cost_estimated: true },
    }),
  ];
  const job = aggregateJob(trials, {
    job_name: 'j',
    started_at: at(0),
    finished_at: at(9),
    resultPath: (t) => `${t.trial_name}/result.json`,
  });
  test('mean counts errored trials as 0', () => expect(job.mean_reward).toBeCloseTo(3 / 6));
  test('pass@k averaged over tasks', () => {
    expect(job.pass_at_k['1']).toBeCloseTo((1 / 3 + 2 / 3) / 2);
    expect(job.pass_at_k['2']).toBeCloseTo((passAtK(3, 1, 2) + passAtK(3, 2, 2)) / 2);
    expect(job.pass_at_k['3']).toBeCloseTo(1);
  });
  test('counts, exceptions, tokens, cost', () => {
    expect(job.counts).toEqual({ completed: 5, error: 1, cancelled: 0 });
    expect(job.exception_counts).toEqual({ RewardFileNotFoundError: 1 });
    expect(job.tokens).toEqual({ input: 11, cache: 2, output: 6 });
    expect(job.cost_usd).toBeCloseTo(0.75);
    expect(job.cost_estimated).toBe(true);
    expect(job.tasks.map((t) => [t.task_name, t.n_trials, t.n_passed])).toEqual([
      ['a', 3, 1],
      ['b', 3, 2],
    ]);
  });
  test('a task with fewer trials (failed validation) counts as 0, not dropped', () => {
    const withBroken = aggregateJob([...trials, trial('broken', 'error', null)], {
      job_name: 'j',
      started_at: at(0),
      finished_at: at(9),
      resultPath: () => '',
    });
    expect(withBroken.pass_at_k['1']).toBeCloseTo((1 / 3 + 2 / 3 + 0) / 3);
    expect(withBroken.pass_at_k['3']).toBeCloseTo(2 / 3);
    expect(withBroken.mean_reward).toBeCloseTo(3 / 7);
  });
  test('no pass@k for one attempt or non-binary rewards', () => {
    expect(
      aggregateJob([trials[0]], { job_name: 'j', started_at: at(0), finished_at: at(1), resultPath: () => '' })
        .pass_at_k,
    ).toEqual({});
    expect(
      aggregateJob([trial('a', 'completed', 0.5), trial('a', 'completed', 1)], {
        job_name: 'j',
        started_at: at(0),
        finished_at: at(1),
        resultPath: () => '',
      }).pass_at_k,
    ).toEqual({});
  });
});

describe('exit status', () => {
  const err = (type: string, kind: ErrorKind) =>
    trial('x', 'error', null, {
      exception_info: { exception_type: type, exception_message: '', occurred_at: at(0), kind },
    });
  test.each<[string, TrialResult[], number | undefined, number]>([
    ['completed passes by default', [trial('a', 'completed', 0)], undefined, 0],
    ['below min-reward fails', [trial('a', 'completed', 0.5)], 1, 1],
    ['at min-reward passes', [trial('a', 'completed', 1)], 1, 0],
    ['no reward file fails', [err('RewardFileNotFoundError', 'trial')], undefined, 1],
    ['infra beats failure', [err('ImageBuildError', 'infra'), trial('a', 'completed', 0)], 1, 3],
    ['a new infra error type is still infra', [err('SomeNewDockerError', 'infra')], undefined, 3],
    ['the name alone decides nothing', [err('DockerUnavailable', 'trial')], undefined, 1],
    ['validation alone is usage', [err('TaskValidationError', 'validation')], undefined, 2],
    [
      'validation among valid is a failure',
      [err('TaskValidationError', 'validation'), trial('a', 'completed', 1)],
      undefined,
      1,
    ],
    ['nothing ran', [], undefined, 2],
  ])('%s', (_n, ts, min, code) => expect(exitCodeOf(ts, min)).toBe(code));
});
