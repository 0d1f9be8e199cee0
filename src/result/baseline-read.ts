// Read the baseline of `tb2 aggregate --baseline PATH` (the I/O edge; baseline.ts compares).
// PATH is our job result.json or a folder holding one (tasks[], mean_reward), a Harbor job
// folder or its result.json (JobResult, src/harbor/models/job/result.py at
// https://github.com/laude-institute/harbor: older versions embed trial_results, current
// ones only count, so the trial folders beside it are read), or a folder of trial folders
// with no job file. Trials are reduced per task as our job result does. A path with nothing
// readable is one UsageError line naming it and what was expected.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { TrialResult } from '../trial-result.js';
import { baselineOfTrials, baselineSchema, type BaselineJob } from './baseline.js';
import { collectTrials, readResult } from './collect.js';
import { isHarborJob } from './harbor-trial.js';

const EXPECTED = 'expected a tb2 job result.json, a Harbor job folder or its result.json, or a folder of trial folders';

/** A baseline and the files skipped while reducing it from trials (one line each). */
export interface ReadBaseline extends BaselineJob {
  problems: string[];
}

const isTb2Job = (raw: unknown) =>
  typeof raw === 'object' && raw !== null && (raw as { schema?: unknown }).schema === 'tb2.job/1';

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`baseline: cannot read ${file} (${(err as Error).message.split('\n')[0]}; ${EXPECTED})`);
  }
}

function fromTb2Job(raw: unknown, file: string): ReadBaseline {
  const parsed = baselineSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`baseline: ${file} is not a tb2 job result (${issue.path.join('.')}: ${issue.message})`);
  }
  return { ...parsed.data, problems: [] };
}

/** Trial folders under `dir` (ours or Harbor's), reduced per task. */
async function fromFolder(dir: string): Promise<ReadBaseline> {
  const { trials, problems } = await collectTrials([dir]);
  if (trials.length === 0) {
    const why = problems.length ? `; ${problems[0]}` : '';
    throw new UsageError(`baseline: ${dir} holds no readable job or trial result (${EXPECTED}${why})`);
  }
  return { ...baselineOfTrials(trials), problems };
}

/** A Harbor JobResult: its embedded trial_results (older Harbor), else the trial folders beside it. */
async function fromHarborJob(raw: { trial_results?: unknown }, file: string): Promise<ReadBaseline> {
  const embedded = Array.isArray(raw.trial_results) ? raw.trial_results : [];
  const trials: TrialResult[] = [];
  const problems: string[] = [];
  embedded.forEach((item, i) => {
    const read = readResult(item, `${file}: trial_results[${i}]`);
    if ('trial' in read) trials.push(read.trial);
    else if ('problem' in read) problems.push(read.problem);
  });
  if (trials.length > 0) return { ...baselineOfTrials(trials), problems };
  return fromFolder(path.dirname(file));
}

export async function readBaseline(target: string): Promise<ReadBaseline> {
  const st = await stat(target).catch(() => undefined);
  if (!st) throw new UsageError(`baseline: ${target} does not exist (${EXPECTED})`);
  if (st.isDirectory()) {
    const file = path.join(target, 'result.json');
    // A missing or half-written job file (Harbor rewrites it after every trial) is not
    // fatal here: the trial folders beside it still hold the rewards.
    const raw = await readJson(file).catch(() => undefined);
    if (isTb2Job(raw)) return fromTb2Job(raw, file);
    if (isHarborJob(raw)) return fromHarborJob(raw as { trial_results?: unknown }, file);
    return fromFolder(target);
  }
  const raw = await readJson(target);
  if (isTb2Job(raw)) return fromTb2Job(raw, target);
  if (isHarborJob(raw)) return fromHarborJob(raw as { trial_results?: unknown }, target);
  if (baselineSchema.safeParse(raw).success) return fromTb2Job(raw, target);
  const read = readResult(raw, target);
  if ('trial' in read) return { ...baselineOfTrials([read.trial]), problems: [] };
  throw new UsageError(`baseline: ${target} is not a job or trial result (${EXPECTED})`);
}
