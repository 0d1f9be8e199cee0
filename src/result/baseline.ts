// Compare a job result with a baseline job result (e.g. the last run on main): per task,
// newly failing (regressions), newly passing (fixes), reward deltas, and the cost delta.
// A task "passes" when at least half of its trials solved it. A baseline is our job
// result, or is reduced here from trial results (a Harbor job folder: result/baseline-read.ts
// reads it). Pure.
//
// Noise: with k attempts per task, a task's pass counts now and before are compared with
// Fisher's exact test, one-sided (fisher.ts). The gate (`--fail-on-regressions`) counts a
// task when it passes less often now at p <= alpha. When the numbers of attempts cannot
// reach alpha at all (one attempt each: the smallest p is 0.5), the comparison is anecdotal
// and the gate keeps the plain rule: passing before (at least half solved), failing now.
import { z } from 'zod';
import type { TrialResult } from '../trial-result.js';
import { fisherOneSided, smallestPValue } from './fisher.js';
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
  /** Pass counts now and before (null for a task only on one side). */
  passed_now: number | null;
  trials_now: number | null;
  passed_before: number | null;
  trials_before: number | null;
  /** Fisher's exact test, one-sided in the direction of the change (1 when the pass rate is the same). */
  p_value: number | null;
  /** Too few attempts for any outcome to reach alpha: judged by the plain rule. */
  anecdotal: boolean;
  /** Whether this task fails `--fail-on-regressions`. */
  gating: boolean;
}

export interface BaselineDiff {
  /** Tasks passing before (at least half solved) and failing now, noise or not. */
  regressions: number;
  /** Tasks that fail the gate: significant regressions, or plain ones where the comparison is anecdotal. */
  gate_failures: number;
  /** Compared tasks with too few attempts to reach alpha. */
  anecdotal: number;
  alpha: number;
  fixes: number;
  mean_reward_delta: number;
  cost_delta_usd: number | null;
  changes: TaskChange[];
}

const ORDER: ChangeKind[] = ['regression', 'worse', 'removed', 'fix', 'better', 'new', 'same'];
const EPS = 1e-9;
const passes = (t: { n_trials: number; n_passed: number }) => t.n_trials > 0 && t.n_passed / t.n_trials >= 0.5;

/** Floating sums of exact tails: 1/20 must count as <= 0.05. */
const atMost = (p: number, alpha: number) => p <= alpha * (1 + 1e-9);

type Counts = BaselineJob['tasks'][number];
const sides = (c?: Counts, b?: Counts) => ({
  passed_now: c ? c.n_passed : null,
  trials_now: c ? c.n_trials : null,
  passed_before: b ? b.n_passed : null,
  trials_before: b ? b.n_trials : null,
});

/** The noise-aware part of a compared task: p-value, anecdotal or not, gating or not. */
function judge(c: Counts, b: Counts, kind: ChangeKind, alpha: number) {
  const t = { aPassed: c.n_passed, aTrials: c.n_trials, bPassed: b.n_passed, bTrials: b.n_trials };
  if (c.n_trials === 0 || b.n_trials === 0) return { p_value: null, anecdotal: true, gating: kind === 'regression' };
  const lower = c.n_passed / c.n_trials < b.n_passed / b.n_trials;
  const higher = c.n_passed / c.n_trials > b.n_passed / b.n_trials;
  const p_value = lower ? fisherOneSided(t, 'less') : higher ? fisherOneSided(t, 'greater') : 1;
  const anecdotal = !atMost(smallestPValue(c.n_trials, b.n_trials), alpha);
  return { p_value, anecdotal, gating: anecdotal ? kind === 'regression' : lower && atMost(p_value, alpha) };
}

export function diffAgainstBaseline(current: BaselineJob, baseline: BaselineJob, alpha: number): BaselineDiff {
  const base = new Map(baseline.tasks.map((t) => [t.task_name, t]));
  const cur = new Map(current.tasks.map((t) => [t.task_name, t]));
  const changes: TaskChange[] = [];
  for (const [name, c] of cur) {
    const b = base.get(name);
    if (!b) {
      const none = { p_value: null, anecdotal: false, gating: false, ...sides(c, undefined) };
      changes.push({
        task_name: name,
        kind: 'new',
        baseline_reward: null,
        reward: c.mean_reward,
        delta: null,
        ...none,
      });
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
    const rewards = { baseline_reward: b.mean_reward, reward: c.mean_reward, delta };
    changes.push({ task_name: name, kind, ...rewards, ...sides(c, b), ...judge(c, b, kind, alpha) });
  }
  for (const [name, b] of base) {
    if (cur.has(name)) continue;
    const none = { p_value: null, anecdotal: false, gating: false, ...sides(undefined, b) };
    changes.push({
      task_name: name,
      kind: 'removed',
      baseline_reward: b.mean_reward,
      reward: null,
      delta: null,
      ...none,
    });
  }
  // What fails the gate first, then by kind: regressions first.
  changes.sort(
    (x, y) =>
      Number(y.gating) - Number(x.gating) ||
      ORDER.indexOf(x.kind) - ORDER.indexOf(y.kind) ||
      (x.delta ?? 0) - (y.delta ?? 0) ||
      x.task_name.localeCompare(y.task_name),
  );
  const costs = [current.cost_usd, baseline.cost_usd];
  return {
    regressions: changes.filter((c) => c.kind === 'regression').length,
    gate_failures: changes.filter((c) => c.gating).length,
    anecdotal: changes.filter((c) => c.anecdotal).length,
    alpha,
    fixes: changes.filter((c) => c.kind === 'fix').length,
    mean_reward_delta: current.mean_reward - baseline.mean_reward,
    cost_delta_usd: costs.every((x) => typeof x === 'number') ? (costs[0] as number) - (costs[1] as number) : null,
    changes,
  };
}
