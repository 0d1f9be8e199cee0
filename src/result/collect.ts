// Read trial results back from job folders (matrix artifacts downloaded side by side):
// every `<trial>/result.json` under the given folders, or result.json files named
// directly. Missing, truncated, foreign and duplicate files are reported, never fatal.
import { readFile, stat } from 'node:fs/promises';
import { glob } from 'tinyglobby';
import { trialResultSchema, type TrialResult } from '../trial-result.js';

export interface Collected {
  trials: TrialResult[];
  /** One line per file that was skipped, and why. */
  problems: string[];
  /** result.json files of jobs (not trials) that were seen and not counted twice. */
  jobFiles: number;
}

async function candidates(input: string): Promise<string[]> {
  const st = await stat(input).catch(() => undefined);
  if (!st) return [];
  if (st.isFile()) return [input];
  return (await glob('**/result.json', { cwd: input, absolute: true, followSymbolicLinks: false })).sort();
}

export async function collectTrials(inputs: readonly string[]): Promise<Collected> {
  const byName = new Map<string, TrialResult>();
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
      if (raw && typeof raw === 'object' && (raw as { schema?: string }).schema === 'tb2.job/1') {
        jobFiles++; // a job's own result.json: its trials are read from their folders
        continue;
      }
      const parsed = trialResultSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        problems.push(`${file}: not a trial result (${issue.path.join('.') || '(root)'}: ${issue.message})`);
        continue;
      }
      const t = parsed.data;
      const prev = byName.get(t.trial_name);
      if (prev) {
        problems.push(
          `${file}: duplicate of trial ${t.trial_name}; kept the ${laterOf(prev, t) === t ? 'later' : 'first'} one`,
        );
        if (laterOf(prev, t) === prev) continue;
      }
      byName.set(t.trial_name, t);
    }
  }
  return {
    trials: [...byName.values()].sort(
      (a, b) => a.task_name.localeCompare(b.task_name) || a.started_at.localeCompare(b.started_at),
    ),
    problems,
    jobFiles,
  };
}

/** Of two copies of one trial, the one that finished later (a re-run matrix job). */
function laterOf(a: TrialResult, b: TrialResult): TrialResult {
  return (b.finished_at ?? '') > (a.finished_at ?? '') ? b : a;
}
