// The HTML report shows the baseline diff and its regression gate (issue 15: "Summary, PR
// comment and report show it"): regressions first with pass counts and p-values, the gate
// line (anecdotal or not), tasks not run now, every name escaped; `tb2 report --baseline`.
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { reportCommand, writeReport } from '../src/commands/report.js';
import type { BaselineJob } from '../src/result/baseline.js';
import { elements, externalLoads } from './helpers/html-check.js';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const tmp = () => mkdtemp(path.join(tmpdir(), 'tb2-report-baseline-'));
const HOSTILE = 'old</td><b>task</b><img src=x onerror=alert(1)>';

/** Before: the ctrf task solved in 8 of 8 attempts, and a task no longer run. */
const before: BaselineJob = {
  mean_reward: 1,
  cost_usd: null,
  tasks: [
    { task_name: 'examples/ctrf-report', n_trials: 8, n_passed: 8, mean_reward: 1 },
    { task_name: HOSTILE, n_trials: 1, n_passed: 1, mean_reward: 1 },
  ],
};

async function reportAgainst(baseline: BaselineJob, alpha: number): Promise<string> {
  const dir = await tmp();
  const out = await writeReport({
    inputs: [path.join(fixtures, 'results', 'multi')],
    outFile: path.join(dir, 'report.html'),
    against: { baseline, name: 'main <run 42>', alpha },
  });
  return readFile(out.path, 'utf8');
}

test('the diff beside the headline: regressions first, pass counts, p-value, the gate line', async () => {
  const html = await reportAgainst(before, 0.05);
  expect(externalLoads(html)).toEqual([]);
  const els = elements(html);
  expect(els.find((e) => e.attrs.id === 'baseline')!.text).toBe('Compared with baseline main <run 42>');
  const rows = els.filter((e) => e.tag === 'tr' && /\b(regression|worse|fix|better|new)\b/.test(e.attrs.class ?? ''));
  expect(rows.length).toBeGreaterThan(0);
  // The ctrf task passed 8/8 before and fails every attempt now: first, and failing the gate.
  expect(rows[0].attrs.class).toBe('regression gating');
  expect(rows[0].text).toMatch(/^newly failing \(fails the gate\)examples\/ctrf-report8\/80\/\d/);
  const gate = els.find((e) => e.attrs.class === 'gate')!.text;
  expect(gate).toMatch(/Regression gate \(Fisher's exact test, one-sided, alpha 0\.05\): \d+ task\(s\) fail it/);
  // The task not run now is named, as text.
  expect(html).toContain('Not run now (1): old&lt;/td&gt;&lt;b&gt;task');
  expect(els.some((e) => e.tag === 'img' || (e.tag === 'b' && e.text === 'task'))).toBe(false);
});

test('one attempt each: the report says the comparison is anecdotal', async () => {
  const html = await reportAgainst(
    { mean_reward: 1, tasks: [{ task_name: 'examples/ctrf-report', n_trials: 1, n_passed: 1, mean_reward: 1 }] },
    0.05,
  );
  const gate = elements(html).find((e) => e.attrs.class === 'gate')!.text;
  expect(gate).toMatch(/anecdotal/);
});

test('no baseline: no baseline section', async () => {
  const dir = await tmp();
  const out = await writeReport({
    inputs: [path.join(fixtures, 'results', 'multi')],
    outFile: path.join(dir, 'r.html'),
  });
  expect(await readFile(out.path, 'utf8')).not.toContain('id="baseline"');
});

test('tb2 report --baseline: a job folder compared with a Harbor job folder; a bad path is one line', async () => {
  const dir = path.join(await tmp(), 'job');
  await cp(path.join(fixtures, 'harbor-job'), dir, { recursive: true });
  const file = path.join(await tmp(), 'baseline.json');
  await writeFile(file, 'not json');
  await expect(reportCommand(dir, { baseline: '/nonexistent/base', alpha: 0.05 })).rejects.toThrow(
    'baseline: /nonexistent/base does not exist',
  );
  await expect(reportCommand(dir, { baseline: file, alpha: 0.05 })).rejects.toThrow(/baseline/);
  const out = await reportCommand(dir, { baseline: path.join(fixtures, 'harbor-job'), alpha: 0.05 });
  const html = await readFile(out.path, 'utf8');
  // The same trials on both sides: nothing regressed, nothing listed.
  expect(elements(html).find((e) => e.attrs.id === 'baseline')!.text).toContain('harbor-job');
  expect(html).toMatch(/<strong>0 regression\(s\)<\/strong>, 0 fix\(es\)/);
  expect(html).not.toContain('class="baseline"');
});
