// A job folder is a Harbor job folder (../shared/HARBOR.md): Harbor's files and fields with
// Harbor's types and meanings, written while the job runs; --max-retries and --resume. Real
// agents (oracle) and tasks, fake environments (no Docker: the real-Docker cases are
// job.itg.test.ts and faults/resume.itg.test.ts).
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Agent } from '../src/agents/types.js';
import type { Environments } from '../src/environment/types.js';
import { InfraError, UsageError } from '../src/errors.js';
import type { TrialEvent } from '../src/events.js';
import { runJob, type JobPlan } from '../src/trial/job.js';
import { checkHarborJob } from './helpers/harbor-schema.js';
import { fakeEnvironments } from './helpers/fake-env.js';

const examples = path.join(import.meta.dirname, '..', 'examples', 'tasks');
const out = () => mkdtempSync(path.join(tmpdir(), 'tb2-harbor-job-'));
const json = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, any>;

function plan(outputDir: string, over: Partial<JobPlan> = {}): JobPlan {
  return {
    taskDirs: [path.join(examples, 'hello-world'), path.join(examples, 'ctrf-report')],
    attempts: 2,
    concurrency: 2,
    outputDir,
    runId: 'r',
    agent: { agent: 'oracle', claudeCodeVersion: '0', agentEnv: [], forwardEnv: {} },
    options: { verifierMode: 'shared', forceBuild: false, pidsLimit: 0, maxLoggedBytes: 1 << 20 },
    retryDelayMs: () => 0,
    ...over,
  };
}

async function run(p: JobPlan, environments: Environments = fakeEnvironments([]), agents?: () => Agent) {
  const events: TrialEvent[] = [];
  const signal = new AbortController().signal;
  const outcome = await runJob(p, { environments, emit: (e) => events.push(e), signal, agents });
  return { ...outcome, events };
}

const trialDirs = (dir: string) =>
  readdirSync(dir)
    .filter((e) => statSync(path.join(dir, e)).isDirectory())
    .sort();

test('every file Harbor reads is there, with its fields and types; the job result is computed as Harbor does', async () => {
  const dir = out();
  const { job, trials } = await run(plan(dir));
  expect(checkHarborJob(dir)).toEqual([]);
  const config = json(path.join(dir, 'config.json'));
  expect(config).toMatchObject({
    job_name: path.basename(dir),
    jobs_dir: path.dirname(dir),
    n_attempts: 2,
    timeout_multiplier: 1,
    n_concurrent_trials: 2,
    agents: [{ name: 'oracle', model_name: null }],
    tasks: [{ path: path.join(examples, 'hello-world') }, { path: path.join(examples, 'ctrf-report') }],
  });
  expect(trials).toHaveLength(4);
  expect(new Set(trials.map((t) => t.config?.job_id))).toEqual(new Set([job.id]));
  const file = json(path.join(dir, 'result.json'));
  expect(file.id).toBe(job.id);
  expect(file.finished_at).not.toBeNull();
  expect(file.stats).toMatchObject({ n_completed_trials: 4, n_errored_trials: 0, n_pending_trials: 0, n_retries: 0 });
  const evals = file.stats.evals['oracle__adhoc'];
  expect(evals).toMatchObject({ n_trials: 4, n_errors: 0, metrics: [{ mean: 1 }], pass_at_k: { '2': 1 } });
  expect(
    Object.values(evals.reward_stats.reward as Record<string, string[]>)
      .flat()
      .sort(),
  ).toEqual(trials.map((t) => t.trial_name).sort());
  // Same checksum for every trial of a task; 64 hex characters (dirhash.test.ts checks the value).
  const sums = new Map(trials.map((t) => [t.task_name, t.task_checksum]));
  expect(sums.size).toBe(2);
  for (const s of sums.values()) expect(s).toMatch(/^[0-9a-f]{64}$/);
  expect(file.leaderboard).toEqual({
    eligible: false,
    problems: [
      expect.stringContaining('fewer than 5 trials'),
      'no ATIF trajectory for passing trials: agent oracle writes none',
    ],
  });
});

test('result.json is written when the job starts and after each trial, with finished_at null until the end', async () => {
  const dir = out();
  const seen: Array<Record<string, any>> = [];
  const base = fakeEnvironments([]);
  const environments: Environments = {
    start: (req) => {
      seen.push(json(path.join(dir, 'result.json')));
      return base.start(req);
    },
  };
  await run(plan(dir, { concurrency: 1 }), environments);
  expect(seen.map((s) => s.stats.n_completed_trials)).toEqual([0, 1, 2, 3]);
  expect(seen.map((s) => s.finished_at)).toEqual([null, null, null, null]);
  expect(seen[0].n_total_trials).toBe(4);
  for (const x of seen)
    expect(x.stats.n_pending_trials + x.stats.n_running_trials + x.stats.n_completed_trials).toBe(4);
  expect(json(path.join(dir, 'result.json')).finished_at).not.toBeNull();
});

/** Environments whose first `fails` starts throw `err`. */
function flaky(fails: number, err: Error): Environments {
  const base = fakeEnvironments([]);
  let n = 0;
  return { start: (req) => (n++ < fails ? Promise.reject(err) : base.start(req)) };
}

test('--max-retries: a transient failure runs the same trial again; the replaced attempt stays in its record', async () => {
  const dir = out();
  const p = plan(dir, { attempts: 1, concurrency: 1, taskDirs: [path.join(examples, 'hello-world')], maxRetries: 2 });
  const { trials, job, events } = await run(p, flaky(2, new InfraError('DockerError', 'daemon hiccup')));
  expect(trials).toHaveLength(1);
  const [t] = trials;
  expect(t.status).toBe('completed');
  expect(t.exception_info).toBeNull();
  expect(t.exceptions.map((x) => [x.exception_type, x.retried])).toEqual([
    ['DockerError', true],
    ['DockerError', true],
  ]);
  expect(job.stats.n_retries).toBe(2);
  expect(events.filter((e) => e.type === 'trial_retry')).toHaveLength(2);
  expect(trialDirs(dir)).toEqual([t.trial_name]);
  expect(checkHarborJob(dir)).toEqual([]);
});

test('--max-retries stops at N, and never retries what a retry cannot cure', async () => {
  const dir = out();
  const one = { attempts: 1, concurrency: 1, taskDirs: [path.join(examples, 'hello-world')] };
  const capped = await run(plan(dir, { ...one, maxRetries: 1 }), flaky(5, new InfraError('DockerError', 'down')));
  expect(capped.trials[0]).toMatchObject({ status: 'error', exception_info: { exception_type: 'DockerError' } });
  expect(capped.job.stats.n_retries).toBe(1);
  const build = await run(
    plan(out(), { ...one, maxRetries: 3 }),
    flaky(1, new InfraError('ImageBuildError', 'bad Dockerfile')),
  );
  expect(build.trials[0].status).toBe('error');
  expect(build.job.stats.n_retries).toBe(0);
});

test('--resume keeps finished trials untouched, re-runs unfinished and cancelled ones, and keeps the job id', async () => {
  const dir = out();
  const first = await run(plan(dir));
  const [keep, cancel, unfinished] = first.trials.map((t) => t.trial_name);
  const cancelledFile = path.join(dir, cancel, 'result.json');
  writeFileSync(cancelledFile, JSON.stringify({ ...json(cancelledFile), status: 'cancelled' }));
  rmSync(path.join(dir, unfinished, 'result.json'));
  const kept = readFileSync(path.join(dir, keep, 'result.json'), 'utf8');
  const keptMtime = statSync(path.join(dir, keep, 'result.json')).mtimeMs;

  const again = await run(plan(dir, { resume: true }));
  expect(again.job.id).toBe(first.job.id);
  expect(again.trials).toHaveLength(4);
  expect(readFileSync(path.join(dir, keep, 'result.json'), 'utf8')).toBe(kept);
  expect(statSync(path.join(dir, keep, 'result.json')).mtimeMs).toBe(keptMtime);
  const names = trialDirs(dir);
  expect(names).toHaveLength(4);
  expect(names).toContain(keep);
  expect(names).not.toContain(cancel);
  expect(names).not.toContain(unfinished);
  // Each task still has attempts 1 and 2.
  const attempts = again.trials.map((t) => `${t.task_name}#${t.attempt}`).sort();
  expect(attempts).toEqual(['examples/ctrf-report#1', 'examples/ctrf-report#2', 'hello-world#1', 'hello-world#2']);
  expect(json(path.join(dir, 'result.json'))).toMatchObject({ id: first.job.id, stats: { n_completed_trials: 4 } });
  expect(checkHarborJob(dir)).toEqual([]);
});

test('--resume with another agent, model or task list is refused, naming config.json, the folder untouched', async () => {
  const dir = out();
  await run(plan(dir, { attempts: 1 }));
  const snapshot = () =>
    readdirSync(dir, { recursive: true })
      .map(String)
      .sort()
      .map((f) => `${f}:${statSync(path.join(dir, f)).mtimeMs}`);
  const before = snapshot();
  const refused = async (over: Partial<JobPlan>) => {
    const err = await run(plan(dir, { attempts: 1, resume: true, ...over })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/config\.json/);
    expect((err as Error).message.split('\n')).toHaveLength(1);
  };
  await refused({
    agent: { agent: 'command', agentCommand: 'true', claudeCodeVersion: '0', agentEnv: [], forwardEnv: {} },
  });
  await refused({ agent: { agent: 'oracle', model: 'x/y', claudeCodeVersion: '0', agentEnv: [], forwardEnv: {} } });
  await refused({ taskDirs: [path.join(examples, 'hello-world')] });
  expect(snapshot()).toEqual(before);
});

test('--resume on a folder that is not a job folder is refused; on a missing one it is a first run', async () => {
  const dir = out();
  writeFileSync(path.join(dir, 'notes.txt'), 'mine');
  await expect(run(plan(dir, { resume: true }))).rejects.toThrow(/config\.json: not found/);
  const fresh = path.join(out(), 'new');
  const { trials } = await run(plan(fresh, { resume: true, attempts: 1 }));
  expect(trials).toHaveLength(2);
  // A copy of a finished job resumes with nothing to do.
  const copy = path.join(out(), 'copy');
  cpSync(fresh, copy, { recursive: true });
  const again = await run(plan(copy, { resume: true, attempts: 1 }));
  expect(again.trials.map((t) => t.trial_name).sort()).toEqual(trials.map((t) => t.trial_name).sort());
  expect(again.events.filter((e) => e.type === 'trial_start')).toHaveLength(0);
});

test('--max-retries: a rate-limited agent is run again even though its trial verified (and scored 0)', async () => {
  let calls = 0;
  const agent = (): Agent => ({
    name: 'scripted',
    run: () =>
      Promise.resolve(
        calls++ === 0
          ? {
              exitCode: 1,
              timedOut: false,
              aborted: false,
              error: { type: 'AgentRateLimitError', message: '429 from the API' },
            }
          : { exitCode: 0, timedOut: false, aborted: false },
      ),
  });
  const one = { attempts: 1, concurrency: 1, taskDirs: [path.join(examples, 'hello-world')], maxRetries: 1 };
  const { trials, job } = await run(plan(out(), one), fakeEnvironments([], { verifier: 'zero' }), agent);
  expect(calls).toBe(2);
  expect(trials[0]).toMatchObject({ status: 'completed', exception_info: null });
  expect(trials[0].exceptions.map((x) => [x.exception_type, x.retried])).toEqual([['AgentRateLimitError', true]]);
  expect(job.stats.n_retries).toBe(1);
  // Without retries the rate limit stays the trial's exception_info (it still completed).
  calls = 0;
  const none = await run(plan(out(), { ...one, maxRetries: 0 }), fakeEnvironments([], { verifier: 'zero' }), agent);
  expect(none.trials[0]).toMatchObject({
    status: 'completed',
    exception_info: { exception_type: 'AgentRateLimitError' },
  });
});

test('a second job into a job folder is refused without --resume; a folder resume cannot account for refuses it', async () => {
  const dir = out();
  await run(plan(dir, { attempts: 1 }));
  await expect(run(plan(dir, { attempts: 1 }))).rejects.toThrow(/already holds a job \(config\.json\): add --resume/);
  mkdirSync(path.join(dir, 'mine'));
  writeFileSync(path.join(dir, 'mine', 'result.json'), '{"not": "a trial"}');
  await expect(run(plan(dir, { attempts: 2, resume: true }))).rejects.toThrow(/mine\/result\.json: not a trial result/);
  expect(trialDirs(dir)).toHaveLength(3);
});
