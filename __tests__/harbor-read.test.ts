// Harbor's own job folders read back: __tests__/fixtures/harbor-job is a job folder as
// Harbor v0.22 writes it (2 tasks × 2 attempts of claude-code, one AgentTimeoutError that
// still got reward 0), collected alone, mixed with ours, damaged, and used as a baseline.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { aggregate } from '../src/commands/aggregate.js';
import { UsageError } from '../src/errors.js';
import { baselineOfTrials, diffAgainstBaseline, type BaselineJob } from '../src/result/baseline.js';
import { readBaseline } from '../src/result/baseline-read.js';
import { collectTrials } from '../src/result/collect.js';
import { fromHarborTrial, harborTrialSchema } from '../src/result/harbor-trial.js';
import { aggregateJob } from '../src/result/job.js';
import { renderBaselineDiff } from '../src/report/baseline-markdown.js';
import type { TrialResult } from '../src/trial-result.js';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'harbor-job');
const json = (rel: string) => JSON.parse(readFileSync(path.join(FIXTURE, rel), 'utf8'));
const TIMEOUT = 'fix-git__Zx9LmN4';
const TRIALS = ['hello-world__AbC3dEf', 'hello-world__Q7mK2pX', TIMEOUT, 'fix-git__Rt5VbW8'];

function copyFixture(only?: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tb2-harbor-'));
  cpSync(FIXTURE, dir, {
    recursive: true,
    filter: (src) => !only || src === FIXTURE || only.some((o) => src.includes(o)),
  });
  return dir;
}

/** One of our trial results, as tb2 writes it (the fields our schema requires). */
const ours = (trial_name: string, task_name: string, reward: number): TrialResult => ({
  task_name,
  trial_name,
  task_dir: `/tasks/${task_name}`,
  attempt: 1,
  status: 'completed',
  reward,
  passed: reward >= 1,
  tests: [],
  tests_passed: 0,
  tests_total: 0,
  agent_info: { name: 'oracle', version: null, model_info: null },
  agent_result: {
    n_input_tokens: null,
    n_cache_tokens: null,
    n_output_tokens: null,
    cost_usd: 0.01,
    cost_estimated: false,
  },
  verifier_result: { rewards: { reward } },
  exception_info: null,
  exceptions: [],
  started_at: '2026-09-01T00:00:00Z',
  finished_at: '2026-09-01T00:01:00Z',
  environment_setup: null,
  agent_setup: null,
  agent_execution: null,
  verifier: null,
});

describe('a Harbor job folder collected alone', () => {
  test('four trials, the job result.json counted as a job file, nothing skipped', async () => {
    const got = await collectTrials([FIXTURE]);
    expect(got.problems).toEqual([]);
    expect(got.jobFiles).toBe(1);
    expect(got.trials.map((t) => [t.trial_name, t.status, t.reward, t.passed, t.attempt])).toEqual([
      [TIMEOUT, 'completed', 0, false, 1],
      ['fix-git__Rt5VbW8', 'completed', 1, true, 2],
      ['hello-world__AbC3dEf', 'completed', 1, true, 1],
      ['hello-world__Q7mK2pX', 'completed', 1, true, 2],
    ]);
  });
  test('the AgentTimeoutError trial is completed with reward 0 and keeps its exception', async () => {
    const t = (await collectTrials([path.join(FIXTURE, TIMEOUT)])).trials[0];
    expect(t).toMatchObject({ status: 'completed', reward: 0, task_dir: 'tasks/fix-git', tests: [] });
    expect(t.exceptions.map((x) => x.exception_type)).toEqual(['AgentTimeoutError']);
    expect(t.exception_info!.exception_traceback).toMatch(/^Traceback \(most recent call last\):\n/);
  });
  test('every Harbor field is kept as written; usage comes from AgentContext', async () => {
    const t = (await collectTrials([path.join(FIXTURE, TRIALS[0])])).trials[0];
    const raw = json(`${TRIALS[0]}/result.json`);
    for (const key of ['id', 'trial_uri', 'task_id', 'source', 'task_checksum', 'config', 'step_results'])
      expect(t[key]).toEqual(raw[key]);
    expect(t.verifier_environment_mode).toBe('shared');
    expect(t.agent_info).toEqual({ name: 'claude-code', version: '2.1.3', model_info: raw.agent_info.model_info });
    expect(t.agent_result).toMatchObject({ ...raw.agent_result, cost_estimated: false });
    expect(t.started_at).toBe('2026-08-30T12:00:01.123456Z');
  });
  test("the trials agree with Harbor's own job result (mean, tokens, cost, exceptions)", async () => {
    const { trials } = await collectTrials([FIXTURE]);
    const job = aggregateJob(trials, { job_name: 'j', started_at: '', finished_at: '', resultPath: () => '' });
    const { stats } = json('result.json');
    const evals = stats.evals['claude-code__claude-sonnet-4-5__adhoc'];
    expect(job.mean_reward).toBeCloseTo(evals.metrics[0].mean);
    expect(job.pass_at_k['2']).toBeCloseTo(evals.pass_at_k['2']);
    expect(job.exception_counts).toEqual({ AgentTimeoutError: evals.exception_stats.AgentTimeoutError.length });
    expect(job.tokens).toEqual({
      input: stats.n_input_tokens,
      cache: stats.n_cache_tokens,
      output: stats.n_output_tokens,
    });
    expect(job.cost_usd).toBeCloseTo(stats.cost_usd);
  });
});

describe('mapping one Harbor TrialResult', () => {
  const base = json(`${TRIALS[0]}/result.json`);
  const map = (patch: object) => fromHarborTrial(harborTrialSchema.parse({ ...base, ...patch }));
  test('status: CancelledError cancels, no rewards is an error', () => {
    const cancelled = {
      exception_type: 'CancelledError',
      exception_message: '',
      exception_traceback: '',
      occurred_at: 'x',
    };
    expect(map({ exception_info: cancelled }).status).toBe('cancelled');
    expect(map({ verifier_result: null })).toMatchObject({ status: 'error', reward: null, verifier_result: null });
    expect(map({ verifier_result: { rewards: {} } }).status).toBe('error');
  });
  test('reward: `reward`, else the only key, else null with the rewards kept', () => {
    expect(map({ verifier_result: { rewards: { accuracy: 1 } } })).toMatchObject({ reward: 1, passed: true });
    const several = map({ verifier_result: { rewards: { a: 1, b: 0 } } });
    expect(several).toMatchObject({ status: 'completed', reward: null, passed: false });
    expect(several.verifier_result).toEqual({ rewards: { a: 1, b: 0 } });
  });
  test('no started_at: the finish, else "", so sorting never sees null', () => {
    expect(map({ started_at: null }).started_at).toBe(base.finished_at);
    expect(map({ started_at: null, finished_at: null })).toMatchObject({ started_at: '', finished_at: null });
  });
  test('no AgentContext: null usage; multi-step: the steps summed', () => {
    expect(map({ agent_result: null }).agent_result).toEqual({
      n_input_tokens: null,
      n_cache_tokens: null,
      n_output_tokens: null,
      cost_usd: null,
      cost_estimated: false,
    });
    const steps = [{ step_name: 'a', agent_result: { n_input_tokens: 5, cost_usd: 0.5 } }, { step_name: 'b' }];
    expect(map({ agent_result: null, step_results: steps }).agent_result).toMatchObject({
      n_input_tokens: 5,
      cost_usd: 0.5,
    });
  });
});

describe('mixed and damaged folders', () => {
  test('Harbor trials mix with ours; our attempt numbers are left alone', async () => {
    const dir = copyFixture();
    mkdirSync(path.join(dir, 'ours', 'hello-world__1'), { recursive: true });
    writeFileSync(
      path.join(dir, 'ours', 'hello-world__1', 'result.json'),
      JSON.stringify(ours('hello-world__1', 'hello-world', 0)),
    );
    const got = await collectTrials([dir]);
    expect(got.problems).toEqual([]);
    expect(got.trials).toHaveLength(5);
    expect(got.trials.find((t) => t.trial_name === 'hello-world__1')).toMatchObject({
      attempt: 1,
      reward: 0,
      task_dir: '/tasks/hello-world',
    });
  });
  test('truncated, foreign and malformed Harbor files are reported, the rest still read', async () => {
    const dir = copyFixture();
    const file = (name: string) => path.join(dir, name, 'result.json');
    writeFileSync(file(TRIALS[0]), readFileSync(file(TRIALS[0]), 'utf8').slice(0, 300));
    writeFileSync(
      file(TRIALS[1]),
      JSON.stringify({ ...json(`${TRIALS[1]}/result.json`), agent_info: { version: '1' } }),
    );
    mkdirSync(path.join(dir, 'random'));
    writeFileSync(file('random'), JSON.stringify({ trial_name: 'x' }));
    const got = await collectTrials([dir]);
    expect(got.trials.map((t) => t.trial_name).sort()).toEqual([TRIALS[3], TIMEOUT]);
    expect(got.jobFiles).toBe(1);
    expect(got.problems).toHaveLength(3);
    expect(got.problems[0]).toMatch(/hello-world__AbC3dEf\/result\.json: unreadable or truncated JSON/);
    expect(got.problems[1]).toMatch(
      /hello-world__Q7mK2pX\/result\.json: not a Harbor trial result \(agent_info\.name: /,
    );
    expect(got.problems[2]).toMatch(/random\/result\.json: not a trial result/);
  });
});

describe('a Harbor job as the baseline', () => {
  const expected = {
    mean_reward: 0.75,
    tasks: [
      { task_name: 'fix-git', n_trials: 2, n_passed: 1, mean_reward: 0.5 },
      { task_name: 'hello-world', n_trials: 2, n_passed: 2, mean_reward: 1 },
    ],
  };
  const sorted = (b: BaselineJob) => [...b.tasks].sort((x, y) => x.task_name.localeCompare(y.task_name));
  test.each([
    ['the job folder', FIXTURE],
    ['its result.json (no trial_results: the trial folders beside it)', path.join(FIXTURE, 'result.json')],
  ])('given as %s: per-task rewards from the trials', async (_, target) => {
    const b = await readBaseline(target);
    expect(b.mean_reward).toBeCloseTo(expected.mean_reward);
    expect(sorted(b)).toMatchObject(expected.tasks);
    expect(b.cost_usd).toBeCloseTo(json('result.json').stats.cost_usd);
    expect(sorted(b)[0].cost_usd).toBeCloseTo(0.6378 + 0.3011);
  });
  test('an older result.json embedding trial_results is read without trial folders', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tb2-harbor-old-'));
    const trial_results = TRIALS.map((t) => json(`${t}/result.json`));
    writeFileSync(path.join(dir, 'result.json'), JSON.stringify({ ...json('result.json'), trial_results }));
    expect(sorted(await readBaseline(path.join(dir, 'result.json')))).toMatchObject(expected.tasks);
  });
  test('a folder of trial folders with no job files', async () => {
    const dir = copyFixture(TRIALS);
    rmSync(path.join(dir, 'result.json'), { force: true });
    expect(sorted(await readBaseline(dir))).toMatchObject(expected.tasks);
  });
  test('a folder with nothing readable is one usage error naming it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tb2-empty-'));
    await expect(readBaseline(dir)).rejects.toThrow(UsageError);
    await expect(readBaseline(dir)).rejects.toThrow(
      new RegExp(`^baseline: ${dir} holds no readable job or trial result \\(expected`),
    );
    writeFileSync(path.join(dir, 'x.json'), '{"hello": 1}');
    await expect(readBaseline(path.join(dir, 'x.json'))).rejects.toThrow(/x\.json is not a job or trial result/);
  });
  test('diff kinds against it, and the markdown names the tasks not run now', async () => {
    const baseline = await readBaseline(FIXTURE);
    const now = baselineOfTrials([ours('hello-world__n1', 'hello-world', 0), ours('new__n1', 'new-task', 1)]);
    const d = diffAgainstBaseline(now, baseline, 0.05);
    expect(Object.fromEntries(d.changes.map((c) => [c.task_name, c.kind]))).toEqual({
      'hello-world': 'regression',
      'fix-git': 'removed',
      'new-task': 'new',
    });
    const md = renderBaselineDiff(d, FIXTURE);
    expect(md).toContain('**1 regression(s)**, 0 fix(es)');
    expect(md).toContain('Not run now (1): fix-git.');
    expect(md).not.toMatch(/\| ⚪ not run now/);
  });
  test('tb2 aggregate --baseline <Harbor job folder>: the diff is in the job result and the summary', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tb2-agg-'));
    mkdirSync(path.join(dir, 'in', 'hello-world__n1'), { recursive: true });
    writeFileSync(
      path.join(dir, 'in', 'hello-world__n1', 'result.json'),
      JSON.stringify(ours('hello-world__n1', 'hello-world', 1)),
    );
    const out = await aggregate({
      inputs: [path.join(dir, 'in')],
      outputDir: path.join(dir, 'out'),
      baseline: FIXTURE,
      regressionAlpha: 0.05,
    });
    expect(out.job.baseline).toMatchObject({ regressions: 0, fixes: 0 });
    expect(out.job.baseline!.changes.map((c) => [c.task_name, c.kind])).toEqual([
      ['fix-git', 'removed'],
      ['hello-world', 'same'],
    ]);
    expect(out.summary).toContain('Not run now (1): fix-git.');
  });
});
