// `tb2 plan` through the bundled CLI (dist/cli.js) on generated task folders: estimates
// from a baseline (Harbor trial folders, our aggregate's result.json), a broken task still
// planned, --max-jobs growth announced on stderr, bad input one line and exit 2.
import { execa } from 'execa';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, tempDir } from './helpers/cli.js';

interface Entry {
  shard: string;
  name: string;
  tasks: string;
  count: number;
  attempts: number;
  expected_sec: number;
}

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
}

const plan = (args: string[]) =>
  execa(process.execPath, [CLI, 'plan', ...args], { reject: false, timeout: 60_000, stripFinalNewline: false });

/** Attempts per task folder over all entries. */
function attemptsByTask(include: Entry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of include) for (const t of e.tasks.split('\n')) out[t] = (out[t] ?? 0) + e.attempts;
  return out;
}

// Twelve tasks: a long one (named org/slow in task.toml), two medium, eight short, one broken.
const root = tempDir('tb2-plan-cli-');
const tasks = path.join(root, 'tasks');
const TIMEOUTS: Record<string, number> = { slow: 3600, mid1: 1200, mid2: 1200 };
const names = ['slow', 'mid1', 'mid2', ...Array.from({ length: 8 }, (_, i) => `short${i}`)];
for (const n of names)
  write(tasks, {
    [`${n}/task.toml`]: `${n === 'slow' ? '[task]\nname = "org/slow"\n' : ''}[agent]\ntimeout_sec = ${TIMEOUTS[n] ?? 300}\n`,
    [`${n}/instruction.md`]: 'do it',
  });
write(tasks, { 'broken/task.toml': '[agent\ntimeout_sec = ' });

// A baseline of Harbor trial folders (no job file): slow took 1000 s and 1200 s, mid1 400 s, each short 60 s.
const harbor = path.join(root, 'harbor-trials');
const trial = (task: string, i: number, sec: number) => ({
  [`${task}__${i}/result.json`]: JSON.stringify({
    task_name: task,
    trial_name: `${task}__${i}`,
    agent_info: { name: 'claude-code', version: '2' },
    verifier_result: { rewards: { reward: 1 } },
    started_at: '2026-01-01T00:00:00.000Z',
    finished_at: new Date(Date.parse('2026-01-01T00:00:00.000Z') + sec * 1000).toISOString(),
  }),
});
write(harbor, {
  ...trial('org/slow', 1, 1000),
  ...trial('org/slow', 2, 1200),
  ...trial('mid1', 1, 400),
  ...Object.assign({}, ...Array.from({ length: 8 }, (_, i) => trial(`short${i}`, 1, 60))),
});

test('a baseline gives the estimates; every task gets its attempts; entries longest first', async () => {
  const res = await plan([tasks, '--attempts', '3', '--max-parallel', '3', '--baseline', harbor]);
  expect(res.exitCode).toBe(0);
  const { include } = JSON.parse(res.stdout) as { include: Entry[] };
  expect(res.stdout.trim().split('\n')).toHaveLength(1);
  const dirs = [...names, 'broken'].map((n) => path.join(tasks, n));
  expect(Object.keys(attemptsByTask(include)).sort()).toEqual([...dirs].sort());
  expect(Object.values(attemptsByTask(include))).toEqual(Array(12).fill(3));
  const secs = include.map((e) => e.expected_sec);
  expect(secs).toEqual([...secs].sort((a, b) => b - a));
  // One attempt of slow is its median, 1100 s; mid2 and the broken task have no history: the
  // median of the ten tasks with some (eight at 60, 400, 1100) is 60.
  const perAttempt = (dir: string) => {
    const e = include.find((x) => x.tasks === path.join(tasks, dir))!;
    return e.expected_sec / e.attempts;
  };
  expect(include.filter((e) => e.tasks.includes(`${path.sep}slow`)).every((e) => e.count === 1)).toBe(true);
  const slow = include.filter((e) => e.tasks === path.join(tasks, 'slow'));
  expect(slow.reduce((a, e) => a + e.expected_sec, 0)).toBe(3300);
  // 3 × 1100 s is far above the bound (max(1100, 6300 / 3) = 2100): slow's attempts are split.
  expect(slow.length).toBeGreaterThan(1);
  expect(slow.map((e) => e.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^org\/slow \(attempt/)]));
  expect(perAttempt('mid1')).toBe(400);
  expect(perAttempt('mid2')).toBe(60);
  expect(perAttempt('broken')).toBe(60);
  expect(perAttempt('short3')).toBe(60);
  expect(res.stderr).toMatch(
    /^tb2: plan: \d+ job\(s\) for 12 task\(s\) × 3 attempt\(s\); expected .* on 3 slot\(s\) \(lower bound 35m00s, ×\d\.\d\d\); estimates: 10 from the baseline, 2 its median\n$/,
  );
});

test("without a baseline: each task's [agent] timeout_sec; our aggregate's result.json works as a baseline", async () => {
  const res = await plan([tasks]);
  expect(res.exitCode).toBe(0);
  const { include } = JSON.parse(res.stdout) as { include: Entry[] };
  expect(include.map((e) => [path.basename(e.tasks), e.expected_sec]).slice(0, 3)).toEqual([
    ['slow', 3600],
    ['mid1', 1200],
    ['mid2', 1200],
  ]);
  expect(include.find((e) => path.basename(e.tasks) === 'broken')!.expected_sec).toBe(600);
  expect(res.stderr).toMatch(/estimates: 12 \[agent\] timeout_sec\n$/);

  const agg = path.join(root, 'tb2-aggregate');
  write(agg, {
    'result.json': JSON.stringify({
      schema: 'tb2.job/1',
      trials: [
        { task_name: 'org/slow', duration_sec: 500, status: 'completed' },
        { task_name: 'mid2', duration_sec: 700, status: 'completed' },
      ],
    }),
  });
  const withAgg = await plan([tasks, '--baseline', agg]);
  expect(withAgg.exitCode).toBe(0);
  // mid2 700, then the other ten at the median of the two with history, 600, in folder
  // order (broken, mid1, short0…), slow last at 500.
  const got = (JSON.parse(withAgg.stdout) as { include: Entry[] }).include.map((e) => [
    path.basename(e.tasks),
    e.expected_sec,
  ]);
  expect(got.slice(0, 3)).toEqual([
    ['mid2', 700],
    ['broken', 600],
    ['mid1', 600],
  ]);
  expect(got.at(-1)).toEqual(['slow', 500]);
});

test('a baseline that matches no task, or has unreadable files, is said on stderr; the plan still comes', async () => {
  const other = path.join(root, 'other-trials');
  write(other, { ...trial('unrelated', 1, 90), 'cut__1/result.json': '{"task_name": "sh' });
  const res = await plan([tasks, '--baseline', other]);
  expect(res.exitCode).toBe(0);
  expect(JSON.parse(res.stdout).include).toHaveLength(12);
  expect(res.stderr).toMatch(
    /^tb2: warning: baseline: 1 file\(s\) skipped, e\.g\. .*cut__1\/result\.json: unreadable/m,
  );
  expect(res.stderr).toContain(
    'tb2: warning: baseline: no trial there matches a task name; estimating from timeouts\n',
  );
  expect(res.stderr).toMatch(/estimates: 12 \[agent\] timeout_sec\n$/);
});

test('--max-jobs: at most M entries, and the growth is said on stderr', async () => {
  const res = await plan([tasks, '--max-jobs', '2', '--attempts', '2']);
  expect(res.exitCode).toBe(0);
  const { include } = JSON.parse(res.stdout) as { include: Entry[] };
  expect(include.length).toBeLessThanOrEqual(2);
  expect(Object.values(attemptsByTask(include))).toEqual(Array(12).fill(2));
  expect(res.stderr).toContain(
    'tb2: note: 12 tasks do not fit in 2 jobs of 1: shards grown to 6 tasks (--max-jobs 2)\n',
  );
});

test.each([
  [['--max-jobs', '0'], /^tb2: --max-jobs: expected a positive whole number \(got "0"\)$/],
  [['--baseline', path.join(root, 'nothing-here')], /^tb2: baseline: .*nothing-here does not exist/],
  [['--baseline', path.join(tasks, 'slow', 'instruction.md')], /^tb2: baseline: cannot read .*instruction\.md/],
  [['--baseline', path.join(tasks, 'mid1')], /^tb2: baseline: .*mid1 holds no readable trial result/],
])('bad input %j: one line on stderr, nothing on stdout, exit 2', async (flags, message) => {
  const res = await plan([tasks, ...flags]);
  expect(res.exitCode).toBe(2);
  expect(res.stdout).toBe('');
  expect(res.stderr.split('\n')).toEqual([expect.stringMatching(message), '']);
});

test('no task found: exit 2', async () => {
  const res = await plan([path.join(root, 'harbor-trials')]);
  expect(res.exitCode).toBe(2);
  expect(res.stderr).toMatch(/^tb2: no task found in /);
});
