// The `stats` of Harbor's JobResult, computed exactly as Harbor computes them
// (src/harbor/models/job/result.py JobStats.increment, utils/pass_at_k.py, metrics/mean.py in
// https://github.com/laude-institute/harbor), so Harbor's viewer and the leaderboard's import
// read our job result.json as one of theirs. Harbor's meanings, which differ from ours:
// n_completed_trials counts every finished trial (errored ones too); n_errored_trials and an
// eval's n_errors count trials with an exception_info (a timed-out trial that still scored
// included); an eval's n_trials counts only trials with rewards. Pure.
import type { TrialResult } from '../trial-result.js';

type Rewards = Record<string, number>;

export interface EvalStats {
  n_trials: number;
  n_errors: number;
  metrics: Array<Record<string, number>>;
  pass_at_k: Record<string, number>;
  reward_stats: Record<string, Record<string, string[]>>;
  exception_stats: Record<string, string[]>;
}

export interface HarborJobStats {
  n_completed_trials: number;
  n_errored_trials: number;
  n_running_trials: number;
  n_pending_trials: number;
  n_cancelled_trials: number;
  n_retries: number;
  evals: Record<string, EvalStats>;
  n_input_tokens: number | null;
  n_cache_tokens: number | null;
  n_output_tokens: number | null;
  cost_usd: number | null;
}

/** `"<agent>__<model name>__<dataset>"`, or `"<agent>__<dataset>"` without a model; dataset = source, else adhoc. */
export function evalsKeyOf(t: Pick<TrialResult, 'agent_info' | 'source'>): string {
  const model = t.agent_info.model_info?.name;
  const dataset = t.source || 'adhoc';
  return model ? `${t.agent_info.name}__${model}__${dataset}` : `${t.agent_info.name}__${dataset}`;
}

/** A reward value as Python prints the float/int key of reward_stats (1.0, 0.5, 1e-05). */
export function pythonNumberKey(x: number): string {
  if (Number.isInteger(x)) return `${x}.0`;
  const s = String(x);
  // JS writes 1e-7, Python 1e-07: exponents have at least two digits there.
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Harbor's Mean metric: one key → {"mean": x}; several keys → a mean per key; a missing reward counts 0. */
export function meanMetric(rewards: Array<Rewards | null>): Record<string, number> {
  const keys = [...new Set(rewards.flatMap((r) => (r ? Object.keys(r) : [])))].sort();
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  if (keys.length <= 1) return { mean: mean(rewards.map((r) => (r ? (Object.values(r)[0] ?? 0) : 0))) };
  return Object.fromEntries(keys.map((k) => [k, mean(rewards.map((r) => r?.[k] ?? 0))]));
}

/** Harbor's k values: 2, 4, 8, … and 5, 10, 15, … up to the fewest trials any task has. */
export function eligibleK(maxK: number): number[] {
  const ks = new Set<number>();
  for (let k = 2; k <= maxK; k *= 2) ks.add(k);
  for (let k = 5; k <= maxK; k += 5) ks.add(k);
  return [...ks].sort((a, b) => a - b);
}

function passAtKForTask(n: number, c: number, k: number): number {
  if (n - c < k) return 1;
  let product = 1;
  for (let i = 0; i < k; i++) product *= (n - c - i) / (n - i);
  return 1 - product;
}

/** Harbor's pass@k of one eval: {} unless every reward is a single 0/1 value. */
export function harborPassAtK(trials: readonly TrialResult[]): Record<string, number> {
  const byTask = new Map<string, number[]>();
  for (const t of trials) {
    const rewards = t.verifier_result?.rewards ?? null;
    let success = 0;
    if (rewards) {
      const values = Object.values(rewards);
      if (values.length !== 1 || (values[0] !== 0 && values[0] !== 1)) return {};
      success = values[0];
    }
    byTask.set(t.task_name, [...(byTask.get(t.task_name) ?? []), success]);
  }
  if (byTask.size === 0) return {};
  const minTrials = Math.min(...[...byTask.values()].map((s) => s.length));
  const out: Record<string, number> = {};
  for (const k of eligibleK(minTrials)) {
    let sum = 0;
    for (const s of byTask.values())
      sum += passAtKForTask(
        s.length,
        s.reduce((a, b) => a + b, 0),
        k,
      );
    out[String(k)] = sum / byTask.size;
  }
  return out;
}

export function harborStats(
  trials: readonly TrialResult[],
  progress: { n_total_trials: number; n_running_trials?: number; n_retries?: number },
): HarborJobStats {
  const evals: Record<string, EvalStats> = {};
  const groups = new Map<string, TrialResult[]>();
  const stats: HarborJobStats = {
    n_completed_trials: 0,
    n_errored_trials: 0,
    n_running_trials: progress.n_running_trials ?? 0,
    n_pending_trials: 0,
    n_cancelled_trials: 0,
    n_retries: progress.n_retries ?? 0,
    evals,
    n_input_tokens: null,
    n_cache_tokens: null,
    n_output_tokens: null,
    cost_usd: null,
  };
  const add = (field: 'n_input_tokens' | 'n_cache_tokens' | 'n_output_tokens' | 'cost_usd', x: number | null) => {
    if (x !== null) stats[field] = (stats[field] ?? 0) + x;
  };
  for (const t of trials) {
    stats.n_completed_trials++;
    const key = evalsKeyOf(t);
    groups.set(key, [...(groups.get(key) ?? []), t]);
    const e = (evals[key] ??= {
      n_trials: 0,
      n_errors: 0,
      metrics: [],
      pass_at_k: {},
      reward_stats: {},
      exception_stats: {},
    });
    if (t.verifier_result) {
      e.n_trials++;
      for (const [k, v] of Object.entries(t.verifier_result.rewards))
        ((e.reward_stats[k] ??= {})[pythonNumberKey(v)] ??= []).push(t.trial_name);
    }
    if (t.exception_info) {
      (e.exception_stats[t.exception_info.exception_type] ??= []).push(t.trial_name);
      e.n_errors++;
      stats.n_errored_trials++;
      if (t.exception_info.exception_type === 'CancelledError') stats.n_cancelled_trials++;
    }
    add('n_input_tokens', t.agent_result.n_input_tokens);
    add('n_cache_tokens', t.agent_result.n_cache_tokens);
    add('n_output_tokens', t.agent_result.n_output_tokens);
    add('cost_usd', t.agent_result.cost_usd);
  }
  for (const [key, ts] of groups) {
    evals[key].metrics = [meanMetric(ts.map((t) => t.verifier_result?.rewards ?? null))];
    evals[key].pass_at_k = harborPassAtK(ts);
  }
  stats.n_pending_trials = Math.max(0, progress.n_total_trials - stats.n_completed_trials - stats.n_running_trials);
  return stats;
}
