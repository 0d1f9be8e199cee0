import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { collectTrials } from '../src/result/collect.js';
import { discoverTasks, expandTaskArgs } from '../src/task/discover.js';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'tb2-tree-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

describe('task discovery', () => {
  const root = tree({
    'a/task.toml': '',
    'a/tests/x/task.toml': '',
    'set/b/task.toml': '',
    'set/c/task.toml': 'broken [',
    'set/notes/readme.md': '',
    'node_modules/z/task.toml': '',
  });
  test('a task folder, a folder of tasks (recursive, outermost only), a glob; deduplicated', async () => {
    const { tasks, unmatched } = await discoverTasks([
      path.join(root, 'a'),
      path.join(root, 'set'),
      `${root}/set/*`,
      path.join(root, 'nothing'),
    ]);
    expect(tasks.map((t) => path.relative(root, t))).toEqual(['a', 'set/b', 'set/c']);
    expect(unmatched).toEqual([path.join(root, 'nothing')]);
  });
  test('the root folder finds every task but not inside node_modules', async () => {
    const { tasks } = await discoverTasks([root]);
    expect(tasks.map((t) => path.relative(root, t))).toEqual(['a', 'set/b', 'set/c']);
  });
  test('run keeps what names no task, so it fails validation visibly', async () => {
    expect((await expandTaskArgs([path.join(root, 'nothing')])).map((t) => path.basename(t))).toEqual(['nothing']);
  });
});

const trial = (name: string, finished: string, extra: object = {}) =>
  JSON.stringify({
    task_name: 't',
    trial_name: name,
    task_dir: '/t',
    attempt: 1,
    status: 'completed',
    reward: 1,
    passed: true,
    tests: [],
    tests_passed: 0,
    tests_total: 0,
    agent_info: { name: 'oracle', version: null, model_info: null },
    agent_result: {
      n_input_tokens: null,
      n_cache_tokens: null,
      n_output_tokens: null,
      cost_usd: null,
      cost_estimated: false,
    },
    verifier_result: { rewards: { reward: 1 } },
    exception_info: null,
    exceptions: [],
    started_at: '2026-01-01T00:00:00Z',
    finished_at: finished,
    environment_setup: null,
    agent_setup: null,
    agent_execution: null,
    verifier: null,
    config: {},
    ...extra,
  });

describe('collecting trial results from job folders', () => {
  test('duplicates, truncated and foreign files are reported, not fatal', async () => {
    const root = tree({
      'job1/result.json': JSON.stringify({ schema: 'tb2.job/1' }),
      'job1/t__a/result.json': trial('t__a', '2026-01-01T00:01:00Z'),
      'job2/t__a/result.json': trial('t__a', '2026-01-01T00:02:00Z', { reward: 0, passed: false }),
      'job2/t__b/result.json': trial('t__b', '2026-01-01T00:01:00Z').slice(0, 100),
      'job2/t__c/result.json': JSON.stringify({ hello: 1 }),
    });
    const got = await collectTrials([path.join(root, 'job1'), path.join(root, 'job2'), path.join(root, 'job3')]);
    expect(got.trials.map((t) => [t.trial_name, t.reward])).toEqual([['t__a', 0]]);
    expect(got.jobFiles).toBe(1);
    expect(got.problems).toHaveLength(4);
    expect(got.problems.join('\n')).toMatch(/duplicate of trial t__a; kept the later one/);
    expect(got.problems.join('\n')).toMatch(/t__b\/result\.json: unreadable or truncated JSON/);
    expect(got.problems.join('\n')).toMatch(/t__c\/result\.json: not a trial result/);
    expect(got.problems.join('\n')).toMatch(/job3: no result\.json found/);
  });
  test("job files are counted, not read as trials: ours (schema, now with Harbor counts) and Harbor's", async () => {
    const harborTrial = {
      ...JSON.parse(trial('t__h', '2026-01-01T00:03:00Z')),
      status: undefined,
      reward: undefined,
      tests: undefined,
      exceptions: undefined,
    };
    const root = tree({
      'ours/result.json': JSON.stringify({ schema: 'tb2.job/1', n_total_trials: 1, stats: {} }),
      'ours/t__a/result.json': trial('t__a', '2026-01-01T00:01:00Z'),
      'harbor/result.json': JSON.stringify({ id: 'x', n_total_trials: 1, stats: { n_completed_trials: 1 } }),
      'harbor/t__h/result.json': JSON.stringify(harborTrial),
      'old-harbor/result.json': JSON.stringify({ id: 'y', trial_results: [] }),
    });
    const got = await collectTrials([root]);
    expect(got.problems).toEqual([]);
    expect(got.jobFiles).toBe(3);
    expect(got.trials.map((t) => [t.trial_name, t.status, t.reward])).toEqual([
      ['t__a', 'completed', 1],
      ['t__h', 'completed', 1],
    ]);
  });
});
