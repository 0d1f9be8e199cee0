import { baselineOfTrials, diffAgainstBaseline, type BaselineJob } from '../src/result/baseline.js';
import { notRunLine, renderBaselineDiff } from '../src/report/baseline-markdown.js';
import type { TrialResult } from '../src/trial-result.js';

const task = (task_name: string, n_passed: number, n_trials: number, mean_reward = n_passed / n_trials) => ({
  task_name,
  n_passed,
  n_trials,
  mean_reward,
  cost_usd: 0.1,
});
const job = (tasks: BaselineJob['tasks'], cost_usd = 1): BaselineJob => ({
  tasks,
  cost_usd,
  mean_reward: tasks.reduce((a, t) => a + t.mean_reward, 0) / tasks.length,
});

describe('baseline diff', () => {
  const baseline = job(
    [task('keeps', 1, 1), task('breaks', 1, 1), task('fixed', 0, 1), task('gone', 1, 1), task('partial', 0, 1, 0.5)],
    2,
  );
  const current = job(
    [task('keeps', 1, 1), task('breaks', 0, 1), task('fixed', 1, 1), task('new', 1, 1), task('partial', 0, 1, 0.25)],
    2.5,
  );
  const d = diffAgainstBaseline(current, baseline, 0.05);
  test('one regression, one fix, worse/new/removed classified', () => {
    expect(d.regressions).toBe(1);
    expect(d.fixes).toBe(1);
    expect(Object.fromEntries(d.changes.map((c) => [c.task_name, c.kind]))).toEqual({
      keeps: 'same',
      breaks: 'regression',
      fixed: 'fix',
      new: 'new',
      gone: 'removed',
      partial: 'worse',
    });
  });
  test('regressions first, unchanged last', () => {
    expect(d.changes[0].task_name).toBe('breaks');
    expect(d.changes.at(-1)!.task_name).toBe('keeps');
  });
  test('deltas', () => {
    expect(d.cost_delta_usd).toBeCloseTo(0.5);
    expect(d.changes.find((c) => c.task_name === 'partial')!.delta).toBeCloseTo(-0.25);
  });
  test('a task passes when at least half its trials solved it', () => {
    const x = diffAgainstBaseline(job([task('t', 1, 3)]), job([task('t', 2, 3)]), 0.05);
    expect(x.changes[0].kind).toBe('regression');
  });
  test('markdown: regressions first, escaped, unchanged only counted', () => {
    const md = renderBaselineDiff(d, 'main/result.json');
    expect(md).toContain('**1 regression(s)**, 1 fix(es)');
    expect(md).toContain('cost +$0.5000');
    expect(md.indexOf('newly failing')).toBeLessThan(md.indexOf('newly passing'));
    expect(md).not.toMatch(/\| unchanged/);
    expect(md).toContain('1 task(s) unchanged, 1 not run now.');
  });
  test('markdown: baseline tasks not run now are named on one line, not as empty rows', () => {
    const md = renderBaselineDiff(d, 'main/result.json');
    expect(md).toContain('Not run now (1): gone.');
    expect(md).not.toMatch(/\| ⚪ not run now/);
  });
  test('a long list of tasks not run now is capped with "and N more"', () => {
    const names = Array.from({ length: 25 }, (_, i) => `t${i}`);
    expect(notRunLine(names)).toBe(`Not run now (25): ${names.slice(0, 20).join(', ')} and 5 more.`);
    expect(notRunLine(['a<b>'], 20)).toBe('Not run now (1): a&lt;b&gt;.');
    const only = renderBaselineDiff(diffAgainstBaseline(job([task('keeps', 1, 1)]), baseline, 0.05), 'b');
    expect(only).toContain('Not run now (4): breaks, fixed, gone, partial.');
  });
});

describe('a baseline reduced from trial results', () => {
  const t = (task_name: string, reward: number | null, cost_usd: number | null): TrialResult => ({
    task_name,
    trial_name: `${task_name}__${reward}`,
    task_dir: '',
    attempt: 1,
    status: 'completed',
    reward,
    passed: reward === 1,
    tests: [],
    tests_passed: 0,
    tests_total: 0,
    agent_info: { name: 'oracle', version: null, model_info: null },
    agent_result: {
      n_input_tokens: null,
      n_cache_tokens: null,
      n_output_tokens: null,
      cost_usd,
      cost_estimated: false,
    },
    verifier_result: null,
    exception_info: null,
    exceptions: [],
    started_at: '',
    finished_at: null,
    environment_setup: null,
    agent_setup: null,
    agent_execution: null,
    verifier: null,
  });
  test('per task: trials, passes, mean reward with a missing reward counted 0, cost summed', () => {
    const b = baselineOfTrials([t('a', 1, 0.25), t('a', null, 0.5), t('b', 0, null)]);
    expect(b.mean_reward).toBeCloseTo(1 / 3);
    expect(b.cost_usd).toBeCloseTo(0.75);
    expect(b.tasks).toEqual([
      { task_name: 'a', n_trials: 2, n_passed: 1, mean_reward: 0.5, cost_usd: 0.75 },
      { task_name: 'b', n_trials: 1, n_passed: 0, mean_reward: 0, cost_usd: null },
    ]);
  });
  test('no cost recorded anywhere: cost is null, so no cost delta is invented', () => {
    const b = baselineOfTrials([t('a', 1, null)]);
    expect(b.cost_usd).toBeNull();
    expect(diffAgainstBaseline(job([task('a', 1, 1)]), b, 0.05).cost_delta_usd).toBeNull();
  });
});
