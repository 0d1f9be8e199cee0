// What `tb2 plan` estimates from (issue 16): baseline trial durations (ours and Harbor's
// job folders, result.json files, folders of trial folders), the per-task median, the
// fallbacks, task.toml read cheaply (broken tasks included), and the plan flags.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCli } from '../src/config/cli-args.js';
import { medianDurations, readDurations, type DurationSample } from '../src/result/durations.js';
import { estimateAttempts } from '../src/task/estimate.js';
import { readPlanInfo } from '../src/task/plan-info.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'tb2-plan-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

/** A Harbor trial result.json: Harbor's fields, none of ours (no `status`). */
const harborTrial = (task: string, id: string, started: string, finished: string) =>
  JSON.stringify({
    task_name: task,
    trial_name: `${task}__${id}`,
    agent_info: { name: 'oracle', version: '1' },
    verifier_result: { rewards: { reward: 1 } },
    started_at: started,
    finished_at: finished,
  });

const byTask = (samples: DurationSample[]) =>
  Object.fromEntries([...medianDurations(samples)].sort(([a], [b]) => a.localeCompare(b)));

describe('baseline durations', () => {
  test("a Harbor job folder, or its result.json: the trial folders' finished_at - started_at", async () => {
    const folder = path.join(FIXTURES, 'harbor-job');
    // fix-git: 7 min 32 s and 15 min 40 s (an agent timeout still completes); hello-world: 81 s and 77 s.
    const want = { 'fix-git': (452 + 940) / 2, 'hello-world': (81 + 77) / 2 };
    expect(byTask((await readDurations(folder)).samples)).toEqual(want);
    expect(byTask((await readDurations(path.join(folder, 'result.json'))).samples)).toEqual(want);
  });

  test('our job result.json: its trial rows (a downloaded tb2-aggregate artifact has no trial folders)', async () => {
    const multi = path.join(FIXTURES, 'results', 'multi');
    const want = { 'examples/ctrf-report': (1 + 1.021) / 2, 'hello-world': (1.011 + 1.039) / 2, 'no-reward': 0.8525 };
    const fromFile = byTask((await readDurations(path.join(multi, 'result.json'))).samples);
    expect(Object.keys(fromFile)).toEqual(Object.keys(want));
    for (const [k, v] of Object.entries(want)) expect(fromFile[k]).toBeCloseTo(v, 6);
    const rowsOnly = tree({
      'tb2-aggregate/result.json': JSON.stringify({
        schema: 'tb2.job/1',
        trials: [
          { task_name: 'a', duration_sec: 30, status: 'completed' },
          { task_name: 'a', duration_sec: 50, status: 'completed' },
          { task_name: 'b', duration_sec: 9, status: 'error' },
        ],
      }),
      'tb2-aggregate/summary.md': '# summary',
    });
    expect(byTask((await readDurations(path.join(rowsOnly, 'tb2-aggregate'))).samples)).toEqual({ a: 40, b: 9 });
  });

  test('a folder of Harbor trial folders with no job file is a baseline', async () => {
    const root = tree({
      'x__1/result.json': harborTrial('x', '1', '2026-01-01T00:00:00Z', '2026-01-01T00:02:00Z'),
      'x__2/result.json': harborTrial('x', '2', '2026-01-01T00:00:00Z', '2026-01-01T00:04:00Z'),
      'x__3/result.json': harborTrial('x', '3', '2026-01-01T00:00:00Z', '2026-01-01T00:10:00Z'),
    });
    expect(byTask((await readDurations(root)).samples)).toEqual({ x: 240 });
  });

  test('an older Harbor job result.json with embedded trial_results', async () => {
    const root = tree({
      'result.json': JSON.stringify({
        id: 'j',
        trial_results: [JSON.parse(harborTrial('y', '1', '2026-01-01T00:00:00Z', '2026-01-01T00:01:30Z'))],
      }),
    });
    expect(byTask((await readDurations(path.join(root, 'result.json'))).samples)).toEqual({ y: 90 });
  });

  test('unreadable baselines are one UsageError line naming the path', async () => {
    const root = tree({ 'garbage.json': '{ not json', 'empty/readme.md': '', 'foreign.json': '{"hello": 1}' });
    for (const [target, why] of [
      [path.join(root, 'nope'), /does not exist/],
      [path.join(root, 'garbage.json'), /cannot read .*garbage\.json/],
      [path.join(root, 'empty'), /holds no readable trial result/],
      [path.join(root, 'foreign.json'), /is not a job or trial result/],
    ] as const) {
      const err = await readDurations(target).catch((e: unknown) => e as Error);
      expect(err).toMatchObject({ kind: 'usage' });
      expect((err as Error).message).toMatch(why);
      expect((err as Error).message).toMatch(/^baseline: /);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  test('the median per task: completed trials, else errored ones; cancelled and untimed ones say nothing', () => {
    const s = (task_name: string, sec: number, status: DurationSample['status'] = 'completed') => ({
      task_name,
      sec,
      status,
    });
    expect(
      byTask([
        s('a', 10),
        s('a', 30),
        s('a', 20),
        s('a', 1, 'error'),
        s('b', 5, 'error'),
        s('b', 7, 'error'),
        s('c', 100, 'cancelled'),
        s('c', 0),
        s('d', 8),
        s('d', 2),
      ]),
    ).toEqual({ a: 20, b: 6, d: 5 });
  });
});

describe('estimates', () => {
  const task = (name: string, folder = name, agentTimeoutSec = 600, broken = false) => ({
    name,
    folder,
    agentTimeoutSec,
    broken,
  });

  test('without a baseline: every task its [agent] timeout_sec', () => {
    expect(estimateAttempts([task('a', 'a', 900), task('b')])).toEqual([
      { sec: 900, source: 'timeout' },
      { sec: 600, source: 'timeout' },
    ]);
  });

  test('with a baseline: matched by name, folder or the last part of "org/name"; else the median of the matched', () => {
    const history = new Map([
      ['org/alpha', 100],
      ['beta-folder', 200],
      ['gamma', 400],
      ['one/dup', 1],
      ['two/dup', 2],
    ]);
    const got = estimateAttempts(
      [
        task('org/alpha'),
        task('other/beta', 'beta-folder'),
        task('lab/gamma', 'g'),
        task('alpha-less/dup', 'dup'),
        task('new-task', 'new-task', 1800),
      ],
      history,
    );
    expect(got).toEqual([
      { sec: 100, source: 'baseline' },
      { sec: 200, source: 'baseline' },
      { sec: 400, source: 'baseline' },
      // "dup" is the last part of two baseline names: ambiguous, so not matched.
      { sec: 200, source: 'median' },
      { sec: 200, source: 'median' },
    ]);
  });

  test('a task that fails validation is estimated like one without history', () => {
    const history = new Map([
      ['a', 10],
      ['b', 30],
      ['broken', 9999],
    ]);
    expect(estimateAttempts([task('a'), task('b'), task('broken', 'broken', 600, true)], history)).toEqual([
      { sec: 10, source: 'baseline' },
      { sec: 30, source: 'baseline' },
      { sec: 20, source: 'median' },
    ]);
  });

  test('a baseline that matches no task: timeouts', () => {
    expect(estimateAttempts([task('a', 'a', 120)], new Map([['z', 5]]))).toEqual([{ sec: 120, source: 'timeout' }]);
  });
});

describe('task.toml read for planning', () => {
  const root = tree({
    'named/task.toml': '[task]\nname = "org/named"\n[agent]\ntimeout_sec = 1800\n',
    'plain/task.toml': 'version = "1.0"\n',
    'bad-toml/task.toml': '[agent\ntimeout_sec = 5',
    'bad-type/task.toml': '[task]\nname = "kept"\n[agent]\ntimeout_sec = 120\n[environment]\nmemory_mb = "lots"\n',
    'no-toml/readme.md': '',
  });
  test('name and agent timeout, defaults from the task schema', async () => {
    expect(await readPlanInfo(path.join(root, 'named'))).toEqual({
      dir: path.join(root, 'named'),
      name: 'org/named',
      folder: 'named',
      agentTimeoutSec: 1800,
    });
    expect(await readPlanInfo(path.join(root, 'plain'))).toMatchObject({ name: 'plain', agentTimeoutSec: 600 });
  });
  test('a broken task still reads: a problem, and what could be salvaged', async () => {
    expect(await readPlanInfo(path.join(root, 'bad-toml'))).toMatchObject({
      name: 'bad-toml',
      agentTimeoutSec: 600,
      problem: expect.stringMatching(/^task\.toml: /),
    });
    expect(await readPlanInfo(path.join(root, 'bad-type'))).toMatchObject({
      name: 'kept',
      agentTimeoutSec: 120,
      problem: expect.stringMatching(/memory_mb/),
    });
    expect(await readPlanInfo(path.join(root, 'no-toml'))).toMatchObject({ name: 'no-toml', problem: /task\.toml/ });
  });
});

describe('tb2 plan flags', () => {
  test('every flag parsed; unset numbers left to the planner', () => {
    expect(
      parseCli([
        'plan',
        'tasks',
        '--shard-size',
        '3',
        '--attempts',
        '5',
        '--max-jobs',
        '100',
        '--max-parallel',
        '20',
        '--baseline',
        'base',
      ]),
    ).toEqual({
      kind: 'plan',
      tasks: ['tasks'],
      shardSize: 3,
      attempts: 5,
      maxJobs: 100,
      maxParallel: 20,
      baseline: 'base',
    });
    expect(parseCli(['plan', 'a', 'b'])).toEqual({ kind: 'plan', tasks: ['a', 'b'] });
  });
  test.each([
    [['--max-jobs', '0'], /^--max-jobs: expected a positive whole number \(got "0"\)$/],
    [['--attempts', '2.5'], /^--attempts: expected a positive whole number/],
    [['--max-parallel=-1'], /^--max-parallel: expected a positive whole number/],
    [['--shard-size', 'ten'], /^--shard-size: expected a positive whole number/],
    [['--agent', 'oracle'], /^--agent: not an option of tb2 plan/],
  ])('bad input %j is one usage line', (flags, message) => {
    expect(() => parseCli(['plan', 't', ...flags])).toThrow(message);
  });
});
