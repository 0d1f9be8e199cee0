// Trial durations of a baseline, for `tb2 plan --baseline PATH` (issue 16): the same inputs
// as `tb2 aggregate --baseline` (baseline-read.ts), read for `finished_at - started_at`
// per trial instead of rewards. PATH is our job folder or its result.json (whose `trials`
// rows carry duration_sec, so a downloaded tb2-aggregate artifact is enough), a Harbor job
// folder or its result.json (older versions embed trial_results; current ones are read
// from the trial folders beside it), a folder of trial folders, or a trial result.json.
// A path with nothing readable is one UsageError line naming it.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import type { TrialResult, TrialStatus } from '../trial-result.js';
import { collectTrials, readResult } from './collect.js';
import { isHarborJob } from './harbor-trial.js';
import { durationSec } from './job.js';

export interface DurationSample {
  task_name: string;
  sec: number;
  status: TrialStatus;
}

export interface Durations {
  samples: DurationSample[];
  /** Files skipped while reading (one line each). */
  problems: string[];
}

const EXPECTED = "expected a job folder or job result.json (ours or Harbor's), or a folder of trial folders";

/** The rows of our job result.json (result/job.ts TrialRow): enough to time each trial. */
const tb2JobRows = z.looseObject({
  schema: z.literal('tb2.job/1'),
  trials: z.array(
    z.looseObject({
      task_name: z.string(),
      duration_sec: z.number(),
      status: z.enum(['completed', 'error', 'cancelled']),
    }),
  ),
});

const ofTrial = (t: TrialResult): DurationSample => ({ task_name: t.task_name, sec: durationSec(t), status: t.status });

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`baseline: cannot read ${file} (${(err as Error).message.split('\n')[0]}; ${EXPECTED})`);
  }
}

/** What a job result.json itself holds: our rows, or the trial results older Harbor embeds. */
function fromJobFile(raw: unknown, file: string): Durations {
  const ours = tb2JobRows.safeParse(raw);
  if (ours.success)
    return {
      samples: ours.data.trials.map((r) => ({ task_name: r.task_name, sec: r.duration_sec, status: r.status })),
      problems: [],
    };
  const embedded = isHarborJob(raw) ? ((raw as { trial_results?: unknown }).trial_results ?? []) : [];
  const out: Durations = { samples: [], problems: [] };
  (Array.isArray(embedded) ? embedded : []).forEach((item, i) => {
    const read = readResult(item, `${file}: trial_results[${i}]`);
    if ('trial' in read) out.samples.push(ofTrial(read.trial));
    else if ('problem' in read) out.problems.push(read.problem);
  });
  return out;
}

/** Trial folders under `dir`; when there are none, the job file `file` (if any) speaks for them. */
async function fromFolder(dir: string, file?: string, raw?: unknown): Promise<Durations> {
  const { trials, problems } = await collectTrials([dir]);
  if (trials.length > 0) return { samples: trials.map(ofTrial), problems };
  const own = file ? fromJobFile(raw, file) : { samples: [], problems: [] };
  if (own.samples.length > 0) return own;
  const why = [...own.problems, ...problems][0];
  throw new UsageError(`baseline: ${dir} holds no readable trial result (${EXPECTED}${why ? `; ${why}` : ''})`);
}

export async function readDurations(target: string): Promise<Durations> {
  const st = await stat(target).catch(() => undefined);
  if (!st) throw new UsageError(`baseline: ${target} does not exist (${EXPECTED})`);
  if (st.isDirectory()) {
    const file = path.join(target, 'result.json');
    // A missing or half-written job file (Harbor rewrites it after every trial) is not
    // fatal: the trial folders beside it still hold the durations.
    const raw = await readJson(file).catch(() => undefined);
    if (tb2JobRows.safeParse(raw).success) {
      const own = fromJobFile(raw, file);
      if (own.samples.length > 0) return own;
    }
    return fromFolder(target, file, raw);
  }
  const raw = await readJson(target);
  if (tb2JobRows.safeParse(raw).success || isHarborJob(raw)) {
    const own = fromJobFile(raw, target);
    return own.samples.length > 0 ? own : fromFolder(path.dirname(target));
  }
  const read = readResult(raw, target);
  if ('trial' in read) return { samples: [ofTrial(read.trial)], problems: [] };
  throw new UsageError(`baseline: ${target} is not a job or trial result (${EXPECTED})`);
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Per task, the median duration of its completed trials (an agent timeout still
 * completes); of its errored ones when none completed. Cancelled and untimed trials say
 * nothing about how long a task takes. Pure.
 */
export function medianDurations(samples: readonly DurationSample[]): Map<string, number> {
  const byTask = new Map<string, { completed: number[]; error: number[] }>();
  for (const s of samples) {
    if (s.status === 'cancelled' || !(s.sec > 0)) continue;
    const t = byTask.get(s.task_name) ?? { completed: [], error: [] };
    (s.status === 'completed' ? t.completed : t.error).push(s.sec);
    byTask.set(s.task_name, t);
  }
  return new Map([...byTask].map(([name, t]) => [name, median(t.completed.length ? t.completed : t.error)]));
}
