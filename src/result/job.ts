// The job result (README "Results": the job): a superset of Harbor's JobResult (id, started_at,
// updated_at, finished_at, n_total_trials, stats: harbor-stats.ts), then our own fields: mean
// reward with errored trials counted as 0 (as in Harbor), pass@1..n for binary rewards when a
// task has several attempts (the unbiased estimator of Chen et al. 2021, averaged over tasks),
// counts by status and exception type, token and cost totals, the leaderboard check, per-task
// rows and the list of trials. Pure.
import { randomUUID } from 'node:crypto';
import type { TrialResult } from '../trial-result.js';
import { harborStats, type HarborJobStats } from './harbor-stats.js';
import { leaderboardCheck, type LeaderboardCheck } from './leaderboard.js';

export interface TaskRow {
  task_name: string;
  n_trials: number;
  n_completed: number;
  n_passed: number;
  mean_reward: number;
  pass_at_1: number | null;
  duration_sec: number;
  cost_usd: number | null;
  exception_types: string[];
}

export interface TrialRow {
  trial_name: string;
  task_name: string;
  status: TrialResult['status'];
  reward: number | null;
  passed: boolean;
  tests_passed: number;
  tests_total: number;
  duration_sec: number;
  cost_usd: number | null;
  exception_type: string | null;
  result_path: string;
}

export interface JobResult {
  // Harbor's JobResult (src/harbor/models/job/result.py), in its order.
  id: string;
  started_at: string;
  updated_at: string;
  /** null while the job runs: Harbor's viewer treats a set finished_at as a finished job. */
  finished_at: string | null;
  n_total_trials: number;
  stats: HarborJobStats;
  // Ours.
  schema: 'tb2.job/1';
  job_name: string;
  n_tasks: number;
  n_trials: number;
  counts: Record<TrialResult['status'], number>;
  n_passed: number;
  mean_reward: number;
  pass_at_k: Record<string, number>;
  exception_counts: Record<string, number>;
  tokens: { input: number; cache: number; output: number };
  cost_usd: number;
  cost_estimated: boolean;
  leaderboard: LeaderboardCheck;
  tasks: TaskRow[];
  trials: TrialRow[];
}

/** Unbiased pass@k for one task: 1 - C(n-c, k) / C(n, k), computed as a stable product. */
export function passAtK(n: number, c: number, k: number): number {
  if (k > n) throw new RangeError(`pass@${k} needs at least ${k} trials, got ${n}`);
  if (n - c < k) return 1;
  let miss = 1;
  for (let i = n - c + 1; i <= n; i++) miss *= 1 - k / i;
  return 1 - miss;
}

export function durationSec(t: Pick<TrialResult, 'started_at' | 'finished_at'>): number {
  if (!t.finished_at) return 0;
  return Math.max(0, (Date.parse(t.finished_at) - Date.parse(t.started_at)) / 1000);
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const sumOrNull = (xs: (number | null)[]) =>
  xs.some((x) => x !== null) ? xs.reduce<number>((a, b) => a + (b ?? 0), 0) : null;

export interface JobMeta {
  job_name: string;
  started_at: string;
  finished_at: string | null;
  resultPath: (t: TrialResult) => string;
  /** The job's UUID (kept across --resume); a new one when not given. */
  id?: string;
  updated_at?: string;
  /** Trials the job plans (Harbor's n_total_trials); the trials given when not set. */
  n_total_trials?: number;
  n_running_trials?: number;
  n_retries?: number;
}

export function aggregateJob(trials: TrialResult[], meta: JobMeta): JobResult {
  const byTask = new Map<string, TrialResult[]>();
  for (const t of trials) byTask.set(t.task_name, [...(byTask.get(t.task_name) ?? []), t]);
  const binary = trials.every((t) => t.reward === null || t.reward === 0 || t.reward === 1);
  // K = the most trials any task has. A task with fewer (one that failed validation has a
  // single errored trial; a partial matrix) contributes 0 when never solved, else its
  // estimate at k = n: it is counted, never dropped, so broken tasks cannot inflate pass@k.
  const maxN = Math.max(0, ...[...byTask.values()].map((ts) => ts.length));
  const pass_at_k: Record<string, number> = {};
  if (binary && maxN > 1) {
    for (let k = 1; k <= maxN; k++) {
      pass_at_k[String(k)] = mean(
        [...byTask.values()].map((ts) => {
          const c = ts.filter((t) => t.reward === 1).length;
          return c === 0 ? 0 : passAtK(ts.length, c, Math.min(k, ts.length));
        }),
      );
    }
  }
  const counts = { completed: 0, error: 0, cancelled: 0 };
  const exception_counts: Record<string, number> = {};
  for (const t of trials) {
    counts[t.status]++;
    for (const x of t.exceptions) exception_counts[x.exception_type] = (exception_counts[x.exception_type] ?? 0) + 1;
  }
  const tasks: TaskRow[] = [...byTask.entries()].map(([task_name, ts]) => ({
    task_name,
    n_trials: ts.length,
    n_completed: ts.filter((t) => t.status === 'completed').length,
    n_passed: ts.filter((t) => t.passed).length,
    mean_reward: mean(ts.map((t) => t.reward ?? 0)),
    pass_at_1: binary ? mean(ts.map((t) => (t.reward === 1 ? 1 : 0))) : null,
    duration_sec: ts.reduce((a, t) => a + durationSec(t), 0),
    cost_usd: sumOrNull(ts.map((t) => t.agent_result.cost_usd)),
    exception_types: [...new Set(ts.flatMap((t) => (t.exception_info ? [t.exception_info.exception_type] : [])))],
  }));
  const n_total_trials = Math.max(meta.n_total_trials ?? 0, trials.length);
  return {
    id: meta.id ?? randomUUID(),
    started_at: meta.started_at,
    updated_at: meta.updated_at ?? meta.finished_at ?? meta.started_at,
    finished_at: meta.finished_at,
    n_total_trials,
    stats: harborStats(trials, {
      n_total_trials,
      n_running_trials: meta.n_running_trials,
      n_retries: meta.n_retries,
    }),
    schema: 'tb2.job/1',
    job_name: meta.job_name,
    n_tasks: byTask.size,
    n_trials: trials.length,
    counts,
    n_passed: trials.filter((t) => t.passed).length,
    mean_reward: mean(trials.map((t) => t.reward ?? 0)),
    pass_at_k,
    exception_counts,
    tokens: {
      input: trials.reduce((a, t) => a + (t.agent_result.n_input_tokens ?? 0), 0),
      cache: trials.reduce((a, t) => a + (t.agent_result.n_cache_tokens ?? 0), 0),
      output: trials.reduce((a, t) => a + (t.agent_result.n_output_tokens ?? 0), 0),
    },
    cost_usd: trials.reduce((a, t) => a + (t.agent_result.cost_usd ?? 0), 0),
    cost_estimated: trials.some((t) => t.agent_result.cost_estimated),
    leaderboard: leaderboardCheck(trials),
    tasks,
    trials: trials.map((t) => ({
      trial_name: t.trial_name,
      task_name: t.task_name,
      status: t.status,
      reward: t.reward,
      passed: t.passed,
      tests_passed: t.tests_passed,
      tests_total: t.tests_total,
      duration_sec: durationSec(t),
      cost_usd: t.agent_result.cost_usd,
      exception_type: t.exception_info?.exception_type ?? null,
      result_path: meta.resultPath(t),
    })),
  };
}
