// Token and cost metrics of a trajectory's agent steps, and the trial's agent_result, kept
// equal by construction: per-step metrics sum to final_metrics, and agent_result IS
// final_metrics (Harbor fills agent_result from final_metrics the same way, ATIF field
// meanings in src/harbor/models/trajectories/metrics.py of https://github.com/laude-institute/harbor).
// The rule:
// - Tokens: each API message's own usage (the last one logged for its id: Claude Code
//   writes one line per content block repeating it). prompt_tokens = input + cache read +
//   cache write, cached_tokens = cache read, completion_tokens = output.
// - When the stream's `result` line reports usage, it is the truth (it is what the API
//   billed; the stream's assistant lines only carry message_start's placeholder output
//   count). A difference from the summed messages goes to the last metered step (a deficit
//   comes off the last steps first) and is noted in that step's metrics.extra.
// - Cost: the result line's total_cost_usd, else the sum of per-step list-price estimates
//   (usage.ts). It is shared over the steps by their estimated cost, in whole multiples of
//   the total's ulp, so the step costs add up to the total exactly in any order. Pure.
import type { AtifFinalMetrics, AtifMetrics } from '../atif.js';
import type { StreamUsage } from './stream.js';
import { estimateCost, trialUsage, type TrialUsage } from './usage.js';

export interface MeteredStep {
  /** undefined: the step made no API call (a synthetic error message). */
  usage?: StreamUsage;
  model?: string;
}

export interface Accounting {
  /** Aligned with the input steps. */
  perStep: Array<AtifMetrics | undefined>;
  final: Omit<AtifFinalMetrics, 'total_steps'>;
  /** For agent_result; undefined when nothing reported any usage. */
  usage?: TrialUsage;
}

const KEYS = ['input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens'] as const;
type Tokens = Record<(typeof KEYS)[number], number>;
const zero = (): Tokens => ({
  input_tokens: 0,
  output_tokens: 0,
  cache_read_input_tokens: 0,
  cache_creation_input_tokens: 0,
});

export function accountSteps(
  steps: MeteredStep[],
  result?: { usage?: StreamUsage; total_cost_usd?: number | null },
): Accounting {
  const raw: Array<Tokens | undefined> = steps.map((s) => (s.usage ? pick(s.usage) : undefined));
  const adjusted = steps.map((): Partial<Tokens> => ({}));
  const reported = result?.total_cost_usd;
  const fromResult = typeof reported === 'number' && Number.isFinite(reported) && reported >= 0;
  if (result?.usage) {
    let last = raw.length - 1;
    while (last >= 0 && !raw[last]) last--;
    const something = KEYS.some((k) => result.usage![k] > 0) || (fromResult && reported > 0);
    if (last < 0 && steps.length && something) raw[(last = steps.length - 1)] = zero();
    if (last < 0) return unmetered(steps.length, pick(result.usage), fromResult ? reported : null);
    for (const k of KEYS) {
      let diff = result.usage[k] - raw.reduce((n, u) => n + (u?.[k] ?? 0), 0);
      if (diff > 0) note(raw, adjusted, last, k, diff);
      for (let i = last; diff < 0 && i >= 0; i--) {
        const take = Math.min(raw[i]?.[k] ?? 0, -diff);
        if (take > 0) note(raw, adjusted, i, k, -take);
        diff += take;
      }
    }
  }
  const metered = raw.flatMap((u, i) => (u ? [i] : []));
  if (!metered.length) return { perStep: raw.map(() => undefined), final: {} };

  const estimates = raw.map((u, i) => (u ? estimateCost(u, steps[i].model) : 0));
  const total = fromResult ? reported : round10(estimates.reduce((a, b) => a + b, 0));
  const costs = apportion(total, estimates, metered);

  const perStep = raw.map((u, i): AtifMetrics | undefined => {
    if (!u) return undefined;
    const extra: Record<string, unknown> = { ...u };
    delete extra.output_tokens;
    if (Object.keys(adjusted[i]).length) extra.adjusted_to_result_line = adjusted[i];
    return {
      prompt_tokens: u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens,
      completion_tokens: u.output_tokens,
      cached_tokens: u.cache_read_input_tokens,
      cost_usd: costs[i],
      extra,
    };
  });
  const sum = (f: (m: AtifMetrics) => number) => perStep.reduce((n, m) => n + (m ? f(m) : 0), 0);
  const totals = KEYS.reduce((s, k) => ({ ...s, [k]: raw.reduce((n, u) => n + (u?.[k] ?? 0), 0) }), zero());
  return {
    perStep,
    final: {
      total_prompt_tokens: sum((m) => m.prompt_tokens),
      total_completion_tokens: sum((m) => m.completion_tokens),
      total_cached_tokens: sum((m) => m.cached_tokens),
      total_cost_usd: total,
      extra: { cost_source: fromResult ? 'result_line' : 'list_price_estimate' },
    },
    usage: trialUsage(totals, total, !fromResult),
  };
}

/**
 * `total` shared by weight over the `at` indices: each share a whole number of units of
 * the total's last binary digit (its ulp), the last index getting the remainder. Every
 * partial sum is then an integer below 2^53 times a power of two, so float additions of
 * the shares are exact and give back `total` bit for bit, whatever the order.
 */
export function apportion(total: number, weights: number[], at: number[]): number[] {
  const out = weights.map(() => 0);
  if (!at.length || !(total > 0)) return out;
  const w = at.map((i) => (weights[i] > 0 && Number.isFinite(weights[i]) ? weights[i] : 0));
  const sumW = w.reduce((a, b) => a + b, 0);
  const unit = ulp(total);
  if (sumW === 0 || unit === 0) {
    out[at[at.length - 1]] = total;
    return out;
  }
  const units = total / unit;
  let left = units;
  at.forEach((i, j) => {
    const k = j === at.length - 1 ? left : Math.min(left, Math.floor(units * (w[j] / sumW)));
    out[i] = k * unit;
    left -= k;
  });
  return out;
}

/** The value of the last bit of a positive double (0 for subnormals, never priced). */
function ulp(x: number): number {
  let e = Math.floor(Math.log2(x));
  if (2 ** e > x) e--;
  if (2 ** (e + 1) <= x) e++;
  return e - 52 < -1022 ? 0 : 2 ** (e - 52);
}

function note(raw: Array<Tokens | undefined>, adj: Array<Partial<Tokens>>, i: number, k: keyof Tokens, d: number) {
  raw[i]![k] += d;
  adj[i][k] = (adj[i][k] ?? 0) + d;
}

const pick = (u: StreamUsage): Tokens => ({
  input_tokens: u.input_tokens,
  output_tokens: u.output_tokens,
  cache_read_input_tokens: u.cache_read_input_tokens,
  cache_creation_input_tokens: u.cache_creation_input_tokens,
});

const round10 = (x: number) => Math.round(x * 1e10) / 1e10;

/**
 * No agent step carries usage and the result line reports none: an API error before any
 * answer (totals of zero). With usage but no agent step at all (not reached from
 * trajectory.ts, which makes the result line a step then) agent_result keeps the result
 * line's numbers and final_metrics says they could not be attributed.
 */
function unmetered(n: number, usage: Tokens, cost: number | null): Accounting {
  const perStep = Array.from({ length: n }, () => undefined);
  const zeros = KEYS.every((k) => usage[k] === 0) && !cost;
  const final = zeros
    ? {
        total_prompt_tokens: 0,
        total_completion_tokens: 0,
        total_cached_tokens: 0,
        ...(cost === 0 ? { total_cost_usd: 0 } : {}),
      }
    : { extra: { unattributed_result_usage: usage, unattributed_cost_usd: cost } };
  return { perStep, final, usage: trialUsage(usage, cost, false) };
}
