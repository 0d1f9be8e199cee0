// The aggregate sub-action (aggregate/action.yml) runs its own `run:` script as GitHub
// would run a composite step: bash, its env, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files.
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT, tempDir } from './helpers/cli.js';

const action = parse(readFileSync(path.join(ROOT, 'aggregate', 'action.yml'), 'utf8'));
const step = action.runs.steps[0];
const results = path.join(ROOT, '__tests__', 'fixtures', 'results');

async function runStep(inputs: Record<string, string>) {
  const dir = tempDir();
  const files = { GITHUB_OUTPUT: path.join(dir, 'output'), GITHUB_STEP_SUMMARY: path.join(dir, 'summary') };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const all = {
    'output-dir': path.join(dir, 'agg'),
    baseline: '',
    'fail-on-regressions': 'false',
    'regression-alpha': '',
    ...inputs,
  };
  // The step's env, with ${{ inputs.x }} and ${{ github.action_path }} resolved.
  const env = Object.fromEntries(
    Object.entries(step.env as Record<string, string>).map(([k, v]) => [
      k,
      v
        .replace(/\$\{\{ inputs\.([\w-]+) \}\}/g, (_m, n: string) => all[n as keyof typeof all] ?? '')
        .replace('${{ github.action_path }}', path.join(ROOT, 'aggregate')),
    ]),
  );
  const res = await execa('bash', ['-e', '-c', step.run], { env: { ...env, ...files }, reject: false });
  const outputs = Object.fromEntries(
    readFileSync(files.GITHUB_OUTPUT, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(/=(.*)/s).slice(0, 2)),
  );
  return { res, outputs, summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8') };
}

test('declares the inputs its script reads', () => {
  expect(Object.keys(action.inputs).sort()).toEqual([
    'baseline',
    'fail-on-regressions',
    'output-dir',
    'regression-alpha',
    'results',
  ]);
  expect(Object.keys(action.outputs).sort()).toEqual(['mean-reward', 'n-trials', 'regressions', 'result-path']);
});

test('merges several job folders into one result, summary and outputs', async () => {
  const { res, outputs, summary } = await runStep({ results: `${results}/pass\n${results}/multi\n\n` });
  expect(res.exitCode).toBe(0);
  const job = JSON.parse(readFileSync(outputs['result-path'], 'utf8'));
  expect(Number(outputs['n-trials'])).toBe(job.n_trials);
  expect(job.n_trials).toBeGreaterThan(2);
  expect(Number(outputs['mean-reward'])).toBeCloseTo(job.mean_reward);
  expect(outputs.regressions).toBe('0');
  expect(summary).toContain('hello-world');
  // Beside them, the HTML report of every merged trial, and Mermaid charts in the summary (issue 15).
  const html = readFileSync(path.join(path.dirname(outputs['result-path']), 'report.html'), 'utf8');
  expect(html.match(/<tr id="row-/g)).toHaveLength(job.n_trials);
  expect(summary).toContain('```mermaid\nxychart-beta');
});

test('with a baseline and fail-on-regressions: the diff is in the summary and a regression fails the step', async () => {
  const base = await runStep({ results: `${results}/pass` });
  const now = await runStep({
    results: `${results}/fail`,
    baseline: base.outputs['result-path'],
    'fail-on-regressions': 'true',
  });
  const baseJob = JSON.parse(readFileSync(base.outputs['result-path'], 'utf8'));
  const nowJob = JSON.parse(readFileSync(now.outputs['result-path'], 'utf8'));
  expect(now.summary).toContain('Compared with baseline');
  // The same task solved in the baseline and not now: one regression, a failed step.
  expect(baseJob.tasks.map((t: { task_name: string }) => t.task_name)).toEqual(
    nowJob.tasks.map((t: { task_name: string }) => t.task_name),
  );
  expect(nowJob.baseline.regressions).toBe(1);
  expect(now.outputs.regressions).toBe('1');
  expect(now.res.exitCode).toBe(1);
  expect(now.summary).toContain('newly failing');
});

test('regression-alpha reaches the CLI: one attempt each is anecdotal at any alpha; a bad alpha is one line', async () => {
  const base = await runStep({ results: `${results}/pass` });
  const now = await runStep({
    results: `${results}/fail`,
    baseline: base.outputs['result-path'],
    'fail-on-regressions': 'true',
    'regression-alpha': '0.01',
  });
  expect(now.res.exitCode).toBe(1);
  expect(JSON.parse(readFileSync(now.outputs['result-path'], 'utf8')).baseline).toMatchObject({
    alpha: 0.01,
    gate_failures: 1,
  });
  expect(now.summary).toContain('alpha 0.01');
  expect(now.summary).toContain('The comparison is anecdotal');
  const bad = await runStep({
    results: `${results}/fail`,
    baseline: base.outputs['result-path'],
    'regression-alpha': '2',
  });
  expect(bad.res.exitCode).toBe(2);
  expect(String(bad.res.stderr).trim()).toBe(
    'tb2: --regression-alpha: expected a number above 0 and below 1, e.g. 0.05 (got "2")',
  );
});
