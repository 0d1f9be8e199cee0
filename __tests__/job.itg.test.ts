// Many trials in one process (issue 5): attempts, concurrency, invalid tasks among valid
// ones, aggregation of several job folders, a baseline diff, and cancelling a whole job.
import { execa } from 'execa';
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, EXAMPLES, leftovers, newRunId, readJson, runCli, tempDir, trialResults } from './helpers/cli.js';
import { passAtK } from '../src/result/job.js';
import { waitUntil } from './helpers/wait.js';
import { checkHarborJob } from './helpers/harbor-schema.js';

/** A folder of tasks: two examples and one broken task (no tests/test.sh). */
function taskSet(): string {
  const root = tempDir('tb2-set-');
  for (const t of ['hello-world', 'live-server'])
    cpSync(path.join(EXAMPLES, t), path.join(root, t), { recursive: true });
  mkdirSync(path.join(root, 'broken'));
  writeFileSync(path.join(root, 'broken', 'task.toml'), 'version = "1.0"\n');
  writeFileSync(path.join(root, 'broken', 'instruction.md'), 'x\n');
  return root;
}

test('a folder of tasks, attempts 3, concurrency 2: flat trial folders, right counts, means and pass@k', async () => {
  const set = taskSet();
  // Deterministic: solves hello-world (no /srv/www there), never live-server.
  const agent = 'if [ -d /srv/www ]; then :; else echo "Hello, world!" > hello.txt; fi';
  const r = await runCli([
    set,
    '--agent',
    'command',
    '--agent-command',
    agent,
    '--attempts',
    '3',
    '--concurrency',
    '2',
  ]);
  expect(r.exitCode).toBe(1); // the broken task is an errored trial among valid ones
  const trials = trialResults(r.out);
  expect(trials).toHaveLength(7);
  const byTask = (name: string) => trials.filter((t) => t.task_name === name);
  expect(byTask('hello-world').map((t) => t.reward)).toEqual([1, 1, 1]);
  expect(byTask('live-server').map((t) => t.reward)).toEqual([0, 0, 0]);
  expect(byTask('broken')[0]).toMatchObject({
    status: 'error',
    exception_info: { exception_type: 'TaskValidationError' },
  });
  expect(new Set(trials.map((t) => t.trial_name)).size).toBe(7);
  expect(new Set(trials.filter((t) => t.task_name === 'hello-world').map((t) => t.run_config.image)).size).toBe(1);
  const job = readJson(path.join(r.out, 'result.json'));
  expect(job).toMatchObject({
    n_tasks: 3,
    n_trials: 7,
    counts: { completed: 6, error: 1, cancelled: 0 },
    n_passed: 3,
    exception_counts: { TaskValidationError: 1 },
  });
  expect(job.mean_reward).toBeCloseTo(3 / 7);
  expect(job.pass_at_k['1']).toBeCloseTo((1 + 0 + 0) / 3);
  expect(job.pass_at_k['3']).toBeCloseTo((passAtK(3, 3, 3) + 0 + 0) / 3);
  expect(r.stderr).toMatch(/\[hello-world__[2-9A-HJ-NP-Za-km-z]{7}\]/); // concurrent progress is prefixed per trial
  // A Harbor job folder, the task that failed validation included (Harbor's files and types).
  expect(checkHarborJob(r.out)).toEqual([]);
  expect(readJson(path.join(r.out, 'result.json'))).toMatchObject({
    n_total_trials: 7,
    stats: { n_completed_trials: 7, n_errored_trials: 1, evals: { command__adhoc: { n_trials: 6, n_errors: 1 } } },
  });
  expect(await leftovers(r.runId)).toEqual([]);
});

test('aggregate several job folders (a duplicate, a truncated result) and diff against a baseline', async () => {
  const hello = path.join(EXAMPLES, 'hello-world');
  const live = path.join(EXAMPLES, 'live-server');
  // Baseline: hello solved, live not. Now: hello not solved (regression), live solved (fix).
  const b1 = await runCli([hello, '--agent', 'oracle']);
  const b2 = await runCli([live, '--agent', 'command', '--agent-command', 'true']);
  const base = await execa(process.execPath, [
    CLI,
    'aggregate',
    b1.out,
    b2.out,
    '--output',
    path.join(tempDir(), 'base'),
  ]);
  const baseline = String(base.stdout).match(/job result: (.*)/)![1];
  const n1 = await runCli([hello, '--agent', 'command', '--agent-command', 'true']);
  const n2 = await runCli([live, '--agent', 'oracle']);
  // A downloaded artifact twice (duplicate) and a truncated copy of a third result.
  const dup = tempDir();
  cpSync(n1.out, dup, { recursive: true });
  const broken = path.join(tempDir(), 'x__broken');
  mkdirSync(broken);
  writeFileSync(path.join(broken, 'result.json'), readFileSync(path.join(n2.out, 'result.json'), 'utf8').slice(0, 50));
  const out = path.join(tempDir(), 'agg');
  const agg = await execa(
    process.execPath,
    [
      CLI,
      'aggregate',
      n1.out,
      n2.out,
      dup,
      path.dirname(broken),
      '--output',
      out,
      '--baseline',
      baseline,
      '--fail-on-regressions',
    ],
    { reject: false },
  );
  expect(agg.exitCode).toBe(1);
  expect(String(agg.stderr)).toMatch(/duplicate of trial hello-world__/);
  expect(String(agg.stderr)).toMatch(/truncated JSON/);
  const job = readJson(path.join(out, 'result.json'));
  expect(job).toMatchObject({ n_trials: 2, n_passed: 1, baseline: { regressions: 1, fixes: 1 } });
  const summary = readFileSync(path.join(out, 'summary.md'), 'utf8');
  expect(summary).toContain('**1 regression(s)**, 1 fix(es)');
  expect(summary.indexOf('hello-world')).toBeLessThan(summary.indexOf('live-server'));
  expect(summary).toMatch(/result file\(s\) skipped/);
  // Without --fail-on-regressions a regression is reported, not a failure.
  const soft = await execa(process.execPath, [
    CLI,
    'aggregate',
    n1.out,
    n2.out,
    '--output',
    path.join(tempDir(), 'agg2'),
    '--baseline',
    baseline,
  ]);
  expect(soft.exitCode).toBe(0);
  expect(String(soft.stdout)).toContain('1 regression(s)');
});

test('cancelling a multi-trial job stops all, writes every result, leaves nothing', async () => {
  const out = tempDir();
  const runId = newRunId();
  const child = execa(
    process.execPath,
    [
      CLI,
      'run',
      path.join(EXAMPLES, 'hello-world'),
      '--output',
      out,
      '--agent',
      'command',
      '--agent-command',
      'sleep 300',
      '--attempts',
      '4',
      '--concurrency',
      '2',
    ],
    { env: { TB2_RUN_ID: runId }, reject: false },
  );
  await waitUntil('two trial containers running (concurrency 2)', async () => {
    const ps = String((await execa('docker', ['ps', '-q', '--filter', `label=dev.tb2.run=${runId}`])).stdout)
      .trim()
      .split('\n')
      .filter(Boolean);
    return ps.length === 2;
  });
  await new Promise((r) => setTimeout(r, 500));
  child.kill('SIGINT');
  const res = await child;
  expect(res.exitCode).toBe(130);
  const dirs = readdirSync(out, { withFileTypes: true }).filter((d) => d.isDirectory());
  const results = trialResults(out);
  expect(results.length).toBe(dirs.length);
  expect(results.filter((t) => t.status === 'cancelled').length).toBeGreaterThanOrEqual(2);
  expect(results.every((t) => t.status === 'cancelled')).toBe(true);
  expect(readJson(path.join(out, 'result.json')).counts.cancelled).toBe(results.length);
  expect(await leftovers(runId)).toEqual([]);
});
