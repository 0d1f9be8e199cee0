// Read trial results back from job folders (matrix artifacts downloaded side by side, or
// Harbor's own job folders): every `<trial>/result.json` under the given folders, or
// result.json files named directly. Ours and Harbor's trial results (result/harbor-trial.ts)
// mix; job result.json files (ours, schema tb2.job/1, and Harbor's JobResult,
// src/harbor/models/job/result.py) are counted, not read as trials. Missing, truncated,
// foreign and duplicate files are reported, never fatal.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { trialResultSchema, type TrialResult } from '../trial-result.js';
import { fromHarborTrial, harborTrialSchema, isHarborJob, isHarborTrial, numberAttempts } from './harbor-trial.js';

export interface Collected {
  trials: TrialResult[];
  /** One line per file that was skipped, and why. */
  problems: string[];
  /** result.json files of jobs (not trials) that were seen and not counted twice. */
  jobFiles: number;
  /** Each kept trial's folder (where its result.json is), by trial name: the HTML report reads its logs there. */
  dirs: Map<string, string>;
}

/** One parsed result.json: a trial (ours or Harbor's, mapped), a job file, or a problem line. */
export type Read = { trial: TrialResult; harbor: boolean } | { job: true } | { problem: string };

/** A job's own result.json (ours or Harbor's): its trials are read from their folders. */
export const isJobFile = (raw: unknown): boolean =>
  (typeof raw === 'object' && raw !== null && (raw as { schema?: unknown }).schema === 'tb2.job/1') || isHarborJob(raw);

const firstIssue = (e: { issues: Array<{ path: PropertyKey[]; message: string }> }) =>
  `${e.issues[0].path.map(String).join('.') || '(root)'}: ${e.issues[0].message}`;

/** Classify one parsed JSON value; `where` names it in the problem line. Pure. */
export function readResult(raw: unknown, where: string): Read {
  if (isJobFile(raw)) return { job: true };
  if (isHarborTrial(raw)) {
    const parsed = harborTrialSchema.safeParse(raw);
    if (!parsed.success) return { problem: `${where}: not a Harbor trial result (${firstIssue(parsed.error)})` };
    return { trial: fromHarborTrial(parsed.data), harbor: true };
  }
  const parsed = trialResultSchema.safeParse(raw);
  if (!parsed.success) return { problem: `${where}: not a trial result (${firstIssue(parsed.error)})` };
  return { trial: parsed.data, harbor: false };
}

async function candidates(input: string): Promise<string[]> {
  const st = await stat(input).catch(() => undefined);
  if (!st) return [];
  if (st.isFile()) return [input];
  return (await glob('**/result.json', { cwd: input, absolute: true, followSymbolicLinks: false })).sort();
}

export async function collectTrials(inputs: readonly string[]): Promise<Collected> {
  const byName = new Map<string, TrialResult>();
  const dirs = new Map<string, string>();
  const fromHarbor = new Set<TrialResult>();
  const problems: string[] = [];
  let jobFiles = 0;
  for (const input of inputs) {
    const files = await candidates(input);
    if (files.length === 0) problems.push(`${input}: no result.json found (missing or empty)`);
    for (const file of files) {
      let raw: unknown;
      try {
        raw = JSON.parse(await readFile(file, 'utf8'));
      } catch (err) {
        problems.push(`${file}: unreadable or truncated JSON (${(err as Error).message.split('\n')[0]})`);
        continue;
      }
      const read = readResult(raw, file);
      if ('job' in read) jobFiles++;
      if ('problem' in read) problems.push(read.problem);
      if (!('trial' in read)) continue;
      const t = read.trial;
      if (read.harbor) fromHarbor.add(t);
      const prev = byName.get(t.trial_name);
      if (prev) {
        problems.push(
          `${file}: duplicate of trial ${t.trial_name}; kept the ${laterOf(prev, t) === t ? 'later' : 'first'} one`,
        );
        if (laterOf(prev, t) === prev) continue;
      }
      byName.set(t.trial_name, t);
      dirs.set(t.trial_name, path.dirname(file));
    }
  }
  const kept = [...byName.values()];
  const harbor = numberAttempts(kept.filter((t) => fromHarbor.has(t)));
  return {
    trials: [...kept.filter((t) => !fromHarbor.has(t)), ...harbor].sort(
      (a, b) => a.task_name.localeCompare(b.task_name) || a.started_at.localeCompare(b.started_at),
    ),
    problems,
    jobFiles,
    dirs,
  };
}

/** Of two copies of one trial, the one that finished later (a re-run matrix job). */
function laterOf(a: TrialResult, b: TrialResult): TrialResult {
  return (b.finished_at ?? '') > (a.finished_at ?? '') ? b : a;
}
