// Mermaid charts in the job summary of a multi-task run (issue 15): rendered by Mermaid 11
// itself in real headless Chromium, hostile task names included; none for one task; a few KB
// for thousands of tasks, inside the 1 MiB summary budget.
import path from 'node:path';
import { collectTrials } from '../src/result/collect.js';
import { aggregateJob } from '../src/result/job.js';
import { MAX_BARS, mermaidCharts, mermaidLabel } from '../src/report/mermaid.js';
import { renderSummary, SUMMARY_LIMIT_BYTES } from '../src/report/summary.js';
import type { TrialResult } from '../src/trial-result.js';
import { mermaidBlocks, mermaidVersion, renderInBrowser } from './helpers/mermaid-browser.js';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const HOSTILE = [
  'org/task-name',
  'say "hi" `now`',
  'a;b, c] [d',
  '%% not a comment',
  '</script><img src=x onerror=alert(1)>',
  '#fff &amp; --> x-axis',
  'line\nbreak',
  'ünïcødé/タスク',
];

async function trials(): Promise<TrialResult[]> {
  const { trials } = await collectTrials([path.join(fixtures, 'results', 'multi'), path.join(fixtures, 'harbor-job')]);
  const hostile = HOSTILE.map((name, i) => ({ ...trials[i % trials.length], task_name: name, trial_name: `h${i}` }));
  return [...trials, ...hostile];
}

const jobOf = (ts: TrialResult[]) =>
  aggregateJob(ts, { job_name: 'j', started_at: ts[0].started_at, finished_at: null, resultPath: (t) => t.trial_name });

test(`the summary's blocks parse and render with Mermaid 11, hostile labels included`, async () => {
  expect(mermaidVersion()).toMatch(/^11\./);
  const ts = await trials();
  const blocks = mermaidBlocks(renderSummary({ job: jobOf(ts), trials: ts }));
  expect(blocks).toHaveLength(2);
  expect(blocks[0]).toMatch(/^xychart-beta\n/);
  expect(blocks[0]).toContain('"org/task-name"');
  expect(blocks[1]).toMatch(/^pie showData\n/);
  const { results, console } = await renderInBrowser(blocks);
  expect(results).toEqual([
    { ok: true, type: 'xychart', svgBytes: expect.any(Number) },
    { ok: true, type: 'pie', svgBytes: expect.any(Number) },
  ]);
  expect(console.filter((l) => /error/i.test(l))).toEqual([]);
});

test('the grammar test can fail: a broken block is reported by Mermaid', async () => {
  const { results } = await renderInBrowser(['xychart-beta\n    x-axis [org/task-name]\n    bar [1]']);
  expect(results[0].ok).toBe(false);
});

test('labels are quoted, with no quote, backtick or line break left inside', () => {
  for (const s of HOSTILE) expect(mermaidLabel(s)).toMatch(/^"[^"`\n\r]*"$/);
  expect(mermaidLabel('a%%b%%%c')).not.toContain('%%');
  expect(mermaidLabel('x'.repeat(100))).toHaveLength(42);
});

test('one task: no chart; thousands: at most MAX_BARS bars, a few KB, summary under 1 MiB', async () => {
  const ts = await trials();
  expect(mermaidCharts(jobOf(ts.filter((t) => t.task_name === 'fix-git')))).toBe('');
  const many = Array.from({ length: 5000 }, (_, i) => ({
    ...ts[i % ts.length],
    task_name: `org/task-${i}`,
    trial_name: `t${i}`,
  }));
  const charts = mermaidCharts(jobOf(many));
  expect(mermaidBlocks(charts)[0].match(/"org\/task-\d+"/g)).toHaveLength(MAX_BARS);
  expect(Buffer.byteLength(charts)).toBeLessThan(8 * 1024);
  expect(Buffer.byteLength(renderSummary({ job: jobOf(many), trials: many }))).toBeLessThan(SUMMARY_LIMIT_BYTES);
});
