// `tb2 report DIR`: the self-contained HTML report of a job folder (ours or Harbor's), also
// written by every `tb2 run`, `tb2 aggregate` and the action into the job folder. The I/O
// edge of report/html/: every file is read as a stream, a trial at a time, and each trial's
// section is written as soon as it is read, so a trial that printed 300 MB costs neither the
// page nor the memory more than its capped transcript (report/html/transcript.ts).
import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { UsageError } from '../errors.js';
import { diffAgainstBaseline, type BaselineJob } from '../result/baseline.js';
import { readBaseline } from '../result/baseline-read.js';
import { collectTrials } from '../result/collect.js';
import { aggregateJob, type JobResult } from '../result/job.js';
import {
  entriesOfAgentLine,
  entriesOfEvent,
  entriesOfExceptions,
  entriesOfTrajectory,
} from '../report/html/from-events.js';
import type { BaselineView } from '../report/html/baseline.js';
import { maxTrialSec, reportHead, reportTail, trialSection } from '../report/html/page.js';
import { limitsFor, TranscriptBuilder, type Entry, type TranscriptLimits } from '../report/html/transcript.js';
import { LineSplitter } from '../stream/lines.js';
import { parseCtrf } from '../trial/reward.js';
import type { TrialResult } from '../trial-result.js';

export const REPORT_FILE = 'report.html';
/** JSON files read whole (a trajectory, a CTRF report) only up to this size. */
const MAX_JSON_BYTES = 32 * 1024 * 1024;
const MAX_LINE_BYTES = 64 * 1024;

export interface ReportRequest {
  /** Job folders (or result.json files) to read, as for `tb2 aggregate`. */
  inputs: string[];
  outFile: string;
  title?: string;
  /** The job result when the caller has it (aggregate); computed from the trials otherwise. */
  job?: JobResult;
  /** The baseline diff shown beside the headline (run and aggregate with --baseline). */
  baseline?: BaselineView;
  /** A baseline to compare the job with here (`tb2 report --baseline`), when no diff is given. */
  against?: { baseline: BaselineJob; name: string; alpha: number };
  /** Applied to every part of the page: the folder is scrubbed, but a file scrub could not rewrite is not. */
  redact?: (s: string) => string;
}

export interface ReportOutcome {
  path: string;
  bytes: number;
  trials: number;
  problems: string[];
}

/** Every line of a file, streamed; false when the file cannot be read. */
async function eachLine(file: string, onLine: (line: string) => void): Promise<boolean> {
  const split = new LineSplitter(onLine, MAX_LINE_BYTES);
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) split.push(chunk as Buffer);
    split.end();
    return true;
  } catch {
    return false;
  }
}

async function readJson(file: string): Promise<unknown> {
  const st = await stat(file).catch(() => undefined);
  if (!st?.isFile() || st.size > MAX_JSON_BYTES) return undefined;
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A trial's transcript: our events.jsonl, else (Harbor's folders) its logs, trajectory and errors. */
export async function readTranscript(dir: string, t: TrialResult, limits?: TranscriptLimits): Promise<Entry[]> {
  const b = new TranscriptBuilder(limits);
  const add = (es: Entry[]) => es.forEach((e) => b.add(e));
  const events = await eachLine(path.join(dir, 'events.jsonl'), (line) => {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      return b.add({ kind: 'note', text: `events.jsonl: a line that is not JSON (${line.length} characters) skipped` });
    }
    add(entriesOfEvent(raw));
  });
  if (events) return b.entries();
  await eachLine(path.join(dir, 'trial.log'), (line) => b.add({ kind: 'output', phase: 'log', text: line }));
  // A multi-step trial keeps each step's agent/ and verifier/ under steps/<name>/ (Harbor too).
  for (const base of folderSets(dir, t)) {
    if (base !== dir) b.add({ kind: 'phase', text: `step "${path.basename(base)}"` });
    const trajectory = entriesOfTrajectory(await readJson(path.join(base, 'agent', 'trajectory.json')));
    if (trajectory) add(trajectory);
    else {
      const logs = (await readdir(path.join(base, 'agent')).catch(() => [] as string[])).filter((f) =>
        /\.(txt|log|jsonl)$/.test(f),
      );
      for (const f of logs.sort()) await eachLine(path.join(base, 'agent', f), (line) => add(entriesOfAgentLine(line)));
    }
    await eachLine(path.join(base, 'verifier', 'test-stdout.txt'), (line) =>
      b.add({ kind: 'output', phase: 'verifier', text: line }),
    );
  }
  add(entriesOfExceptions(t.exceptions));
  return b.entries();
}

/** The trial folder, then each step's folder (steps/<name>/) of a multi-step trial. */
function folderSets(dir: string, t: TrialResult): string[] {
  return [dir, ...(t.step_results ?? []).map((st) => path.join(dir, 'steps', path.basename(st.step_name)))];
}

/** A trial without tests in its result (Harbor's) gets them from verifier/ctrf.json (and its steps'). */
async function withTests(t: TrialResult, dir: string | undefined): Promise<TrialResult> {
  if (t.tests.length || !dir) return t;
  const tests = [];
  for (const base of folderSets(dir, t)) {
    const raw = await readJson(path.join(base, 'verifier', 'ctrf.json'));
    const found = raw === undefined ? null : parseCtrf(JSON.stringify(raw));
    const prefix = base === dir ? '' : `${path.basename(base)}: `;
    for (const x of found ?? []) tests.push({ ...x, name: prefix + x.name });
  }
  if (!tests.length) return t;
  return { ...t, tests, tests_passed: tests.filter((x) => x.status === 'passed').length, tests_total: tests.length };
}

export async function writeReport(req: ReportRequest): Promise<ReportOutcome> {
  const collected = await collectTrials(req.inputs);
  const trials: TrialResult[] = [];
  for (const t of collected.trials) trials.push(await withTests(t, collected.dirs.get(t.trial_name)));
  const starts = trials.map((t) => t.started_at).sort();
  const ends = trials.map((t) => t.finished_at ?? t.started_at).sort();
  const name = path.basename(path.dirname(path.resolve(req.outFile)));
  const job =
    req.job ??
    aggregateJob(trials, {
      job_name: name,
      started_at: starts[0] ?? '',
      finished_at: ends.at(-1) ?? null,
      resultPath: (t) => path.join(t.trial_name, 'result.json'),
    });
  const harbor = trials.filter((t) => t.run_config === undefined && t.trial_uri !== undefined).length;
  const meta = {
    title: req.title ?? `Terminal-Bench report: ${name}`,
    source: `${req.inputs.join(', ')}${harbor ? ` (${harbor} Harbor trial(s))` : ''}`,
    generatedAt: new Date().toISOString(),
    generator: 'tb2 (terminal-bench-action)',
    problems: collected.problems,
    ...(req.baseline ? { baseline: req.baseline } : {}),
    ...(req.against && !req.baseline
      ? {
          baseline: { diff: diffAgainstBaseline(job, req.against.baseline, req.against.alpha), name: req.against.name },
        }
      : {}),
  };
  const tmp = `${req.outFile}.tmp-${process.pid}`;
  const out = createWriteStream(tmp);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  const redact = req.redact ?? ((s: string) => s);
  const write = async (s: string) => {
    if (!out.write(redact(s))) await Promise.race([once(out, 'drain'), failed]);
  };
  await write(reportHead(job, trials, meta));
  const maxSec = maxTrialSec(trials);
  const limits = limitsFor(trials.length);
  for (const [i, t] of trials.entries()) {
    const dir = collected.dirs.get(t.trial_name);
    await write(trialSection(t, i, dir ? await readTranscript(dir, t, limits) : [], maxSec) + '\n');
  }
  await write(reportTail(meta));
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  await rename(tmp, req.outFile);
  return {
    path: req.outFile,
    bytes: (await stat(req.outFile)).size,
    trials: trials.length,
    problems: collected.problems,
  };
}

/** `tb2 report DIR [--baseline PATH]`: (re)write DIR/report.html, with the baseline diff when given. */
export async function reportCommand(
  dir: string,
  compare?: { baseline: string; alpha: number },
): Promise<ReportOutcome> {
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new UsageError(`${dir}: not a folder (expected a job folder holding trial folders)`);
  // Read first: a bad baseline path is one line before any page is written.
  const baseline = compare && (await readBaseline(compare.baseline));
  return writeReport({
    inputs: [dir],
    outFile: path.join(dir, REPORT_FILE),
    ...(baseline ? { against: { baseline, name: compare.baseline, alpha: compare.alpha } } : {}),
  });
}

/** The report beside a job's other files; a failure is a warning line, never a failed run. */
export async function writeReportQuietly(
  req: ReportRequest,
  warn: (line: string) => void,
): Promise<string | undefined> {
  try {
    return (await writeReport(req)).path;
  } catch (err) {
    warn(`${req.outFile}: HTML report not written (${err instanceof Error ? err.message : String(err)})`);
    return undefined;
  }
}
