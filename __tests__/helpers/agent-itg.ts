// What every real-agent integration test checks the same way: every file of a trial folder
// (a key must be in none), phase durations, the trajectory (valid ATIF whose final_metrics
// is the trial's agent_result), and the host's command lines sampled for a key.
import { expect } from '@jest/globals';
import { execa } from 'execa';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validateAtif } from './atif.js';

export function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? allFiles(p) : [p];
  });
}

export const seconds = (t: { started_at: string; finished_at: string }) =>
  (Date.parse(t.finished_at) - Date.parse(t.started_at)) / 1000;

/**
 * agent/trajectory.json of a trial: valid ATIF (helpers/atif.ts, which also checks that
 * the step metrics sum to final_metrics), and final_metrics is the trial's agent_result.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function trajectoryOf(out: string, t: { trial_name: string; agent_result: unknown }): any {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment
  const traj = JSON.parse(readFileSync(path.join(out, t.trial_name, 'agent', 'trajectory.json'), 'utf8'));
  expect(validateAtif(traj)).toEqual([]);
  const f = traj.final_metrics;
  expect(t.agent_result).toMatchObject({
    n_input_tokens: f.total_prompt_tokens,
    n_cache_tokens: f.total_cached_tokens,
    n_output_tokens: f.total_completion_tokens,
    cost_usd: f.total_cost_usd ?? null,
  });
  return traj;
}

/** Every command line on the host (container processes included) showing a needle, sampled until stopped. */
export function watchPs(needles: string | string[]): () => Promise<string[]> {
  const list = typeof needles === 'string' ? [needles] : needles;
  const seen: string[] = [];
  let watching = true;
  const done = (async () => {
    while (watching) {
      const ps = await execa('ps', ['-eo', 'args'], { reject: false });
      seen.push(
        ...String(ps.stdout)
          .split('\n')
          .filter((l) => list.some((n) => l.includes(n))),
      );
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return async () => {
    watching = false;
    await done;
    return seen;
  };
}
