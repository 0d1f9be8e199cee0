// `tb2 aggregate`: merge trial results from many job folders (a matrix's artifacts) into
// one job result and summary, optionally compared with a baseline job result. Missing,
// truncated and duplicate results are reported in the summary, not fatal.
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { baselineSchema, diffAgainstBaseline, type BaselineDiff, type BaselineJob } from '../result/baseline.js';
import { collectTrials } from '../result/collect.js';
import { aggregateJob, type JobResult } from '../result/job.js';
import { renderBaselineDiff } from '../report/baseline-markdown.js';
import { escapeHtml } from '../report/markdown.js';
import { renderSummary } from '../report/summary.js';

export interface AggregateRequest {
  inputs: string[];
  outputDir: string;
  baseline?: string;
}

export interface AggregateOutcome {
  job: JobResult & { baseline?: BaselineDiff; problems: string[] };
  jobResultPath: string;
  summaryPath: string;
  summary: string;
}

/** A baseline job result: a result.json file or a folder holding one. */
export async function readBaseline(file: string): Promise<BaselineJob> {
  const st = await stat(file).catch(() => undefined);
  const target = st?.isDirectory() ? path.join(file, 'result.json') : file;
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(target, 'utf8'));
  } catch (err) {
    throw new UsageError(`baseline: cannot read ${target} (${(err as Error).message.split('\n')[0]})`);
  }
  const parsed = baselineSchema.safeParse(raw);
  if (!parsed.success)
    throw new UsageError(
      `baseline: ${target} is not a tb2 job result (${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message})`,
    );
  return parsed.data;
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
  const diff = baseline ? diffAgainstBaseline(job, baseline) : undefined;
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
  return { job: result, jobResultPath, summaryPath, summary };
}
