// `tb2 aggregate`: merge trial results from many job folders (a matrix's artifacts) into
// one job result and summary, optionally compared with a baseline job result. Missing,
// truncated and duplicate results are reported in the summary, not fatal.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { diffAgainstBaseline, type BaselineDiff } from '../result/baseline.js';
import { readBaseline } from '../result/baseline-read.js';
import { collectTrials } from '../result/collect.js';
import { aggregateJob, type JobResult } from '../result/job.js';
import { renderBaselineDiff } from '../report/baseline-markdown.js';
import { escapeHtml } from '../report/markdown.js';
import { renderSummary } from '../report/summary.js';
import { REPORT_FILE, writeReportQuietly } from './report.js';

export interface AggregateRequest {
  inputs: string[];
  outputDir: string;
  baseline?: string;
  /** Significance level of the regression gate (config/gate-settings.ts holds the default). */
  regressionAlpha: number;
}

export interface AggregateOutcome {
  job: JobResult & { baseline?: BaselineDiff; problems: string[] };
  jobResultPath: string;
  summaryPath: string;
  summary: string;
  /** The HTML report, unless writing it failed (a line in job.problems says why). */
  reportPath?: string;
}

export async function aggregate(req: AggregateRequest): Promise<AggregateOutcome> {
  const baseline = req.baseline ? await readBaseline(req.baseline) : undefined;
  const { trials, problems } = await collectTrials(req.inputs);
  const now = new Date().toISOString();
  const starts = trials.map((t) => t.started_at).sort();
  const ends = trials.map((t) => t.finished_at ?? t.started_at).sort();
  const outputDir = path.resolve(req.outputDir);
  const job = aggregateJob(trials, {
    job_name: path.basename(outputDir),
    started_at: starts[0] ?? now,
    finished_at: ends.at(-1) ?? now,
    // Trial folders stay where they were found; the path names the trial, as in a job folder.
    resultPath: (t) => path.join(t.trial_name, 'result.json'),
  });
  const diff = baseline ? diffAgainstBaseline(job, baseline, req.regressionAlpha) : undefined;
  const result = { ...job, problems, ...(diff ? { baseline: diff } : {}) };
  await mkdir(outputDir, { recursive: true });
  const jobResultPath = path.join(outputDir, 'result.json');
  await writeFile(jobResultPath, JSON.stringify(result, null, 2) + '\n');
  const parts = [renderSummary({ job, trials, jobResultPath })];
  if (diff) parts.unshift(renderBaselineDiff(diff, req.baseline!));
  if (problems.length)
    parts.push(
      `<details><summary>${problems.length} result file(s) skipped</summary>\n\n${problems.map((p) => `- ${escapeHtml(p)}`).join('\n')}\n\n</details>\n`,
    );
  const summary = parts.join('\n\n');
  const summaryPath = path.join(outputDir, 'summary.md');
  await writeFile(summaryPath, summary);
  const reportPath = await writeReportQuietly(
    {
      inputs: req.inputs,
      outFile: path.join(outputDir, REPORT_FILE),
      job,
      ...(diff ? { baseline: { diff, name: req.baseline! } } : {}),
    },
    (line) => problems.push(line),
  );
  return { job: result, jobResultPath, summaryPath, summary, reportPath };
}
