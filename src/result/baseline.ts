// Compare a job result with a baseline job result (e.g. the last run on main): per task,
// newly failing (regressions), newly passing (fixes), reward deltas, and the cost delta.
// A task "passes" when at least half of its trials solved it. A baseline is our job
// result, or is reduced here from trial results (a Harbor job folder: result/baseline-read.ts
// reads it). Pure.
import { z } from 'zod';
import type { TrialResult } from '../trial-result.js';
import { aggregateJob } from './job.js';

/** The part of a job result (ours, schema tb2.job/1) a baseline needs; read at a boundary. */
export const baselineSchema = z.looseObject({
  cost_usd: z.number().nullable().optional(),
  mean_reward: z.number(),
  tasks: z.array(
    z.looseObject({
      task_name: z.string(),
      n_trials: z.number(),
      n_passed: z.number(),
      mean_reward: z.number(),
      cost_usd: z.number().nullable().optional(),
    }),
  ),
});
export interface BaselineJob {
  cost_usd?: number | null;
  mean_reward: number;
  tasks: Array<{
    task_name: string;
    n_trials: number;
    n_passed: number;
    mean_reward: number;
    cost_usd?: number | null;
  }>;
}

/**
 * The baseline of a set of trials, as our job result computes it: per task n_trials,
 * n_passed, mean_reward (a missing reward counts 0) and cost_usd; cost_usd is null when
 * no trial recorded a cost (Harbor without usage data), so no cost delta is invented.
 */
export function baselineOfTrials(trials: TrialResult[]): BaselineJob {
  const job = aggregateJob(trials, { job_name: 'baseline', started_at: '', finished_at: '', resultPath: () => '' });
  const costed = trials.some((t) => t.agent_result.cost_usd !== null);
  return {
    mean_reward: job.mean_reward,
    cost_usd: costed ? job.cost_usd : null,
    tasks: job.tasks.map((t) => ({
      task_name: t.task_name,
      n_trials: t.n_trials,
      n_passed: t.n_passed,
      mean_reward: t.mean_reward,
      cost_usd: t.cost_usd,
    })),
  };
}

export type ChangeKind = 'regression' | 'fix' | 'worse' | 'better' | 'same' | 'new' | 'removed';

export interface TaskChange {
  task_name: string;
  kind: ChangeKind;
  baseline_reward: number | null;
  reward: number | null;
  delta: number | null;
}

export interface BaselineDiff {
  regressions: number;
  fixes: number;
  mean_reward_delta: number;
  cost_delta_usd: number | null;
  changes: TaskChange[];
}

const ORDER: ChangeKind[] = ['regression', 'worse', 'removed', 'fix', 'better', 'new', 'same'];
const EPS = 1e-9;
const passes = (t: { n_trials: number; n_passed: number }) => t.n_trials > 0 && t.n_passed / t.n_trials >= 0.5;

export function diffAgainstBaseline(current: BaselineJob, baseline: BaselineJob): BaselineDiff {
  const base = new Map(baseline.tasks.map((t) => [t.task_name, t]));
  const cur = new Map(current.tasks.map((t) => [t.task_name, t]));
  const changes: TaskChange[] = [];
  for (const [name, c] of cur) {
    const b = base.get(name);
    if (!b) {
      changes.push({ task_name: name, kind: 'new', baseline_reward: null, reward: c.mean_reward, delta: null });
      continue;
    }
    const delta = c.mean_reward - b.mean_reward;
    const kind: ChangeKind =
      passes(b) && !passes(c)
        ? 'regression'
        : !passes(b) && passes(c)
          ? 'fix'
          : delta < -EPS
            ? 'worse'
            : delta > EPS
              ? 'better'
              : 'same';
    changes.push({ task_name: name, kind, baseline_reward: b.mean_reward, reward: c.mean_reward, delta });
  }
  for (const [name, b] of base) {
    if (!cur.has(name))
      changes.push({ task_name: name, kind: 'removed', baseline_reward: b.mean_reward, reward: null, delta: null });
  }
  changes.sort(
    (x, y) =>
      ORDER.indexOf(x.kind) - ORDER.indexOf(y.kind) ||
      (x.delta ?? 0) - (y.delta ?? 0) ||
      x.task_name.localeCompare(y.task_name),
  );
  const costs = [current.cost_usd, baseline.cost_usd];
  return {
    regressions: changes.filter((c) => c.kind === 'regression').length,
    fixes: changes.filter((c) => c.kind === 'fix').length,
    mean_reward_delta: current.mean_reward - baseline.mean_reward,
    cost_delta_usd: costs.every((x) => typeof x === 'number') ? (costs[0] as number) - (costs[1] as number) : null,
    changes,
  };
}
