// Token and cost metrics of a trajectory's agent steps and the trial's agent_result, equal by
// construction (agent_result IS final_metrics, as Harbor fills it), for the agents whose CLI
// reports tokens but no cost (gemini-cli, qwen-code). The rule:
// - Each agent step is one model response, metered with that response's own usage (from the
//   CLI's session log): prompt_tokens every prompt token (cached ones included),
//   cached_tokens the cached part, completion_tokens everything generated (thinking included).
// - The CLI's closing totals (its `result` line, per model when it says) are the truth: they
//   also count side calls the session log has no step for (routing, checks). A difference is
//   charged to the last step of that model (else the last agent step) and noted in its
//   metrics.extra; a deficit comes off the last steps of that model first.
// - Cost: never reported by these CLIs, so estimated from a dated list-price table per
//   model (each charge at its own model's price and, for tiered models, the tier of that
//   call's prompt size). final_metrics.total_cost_usd is the sum of the step costs taken in
//   step order, the same float additions a validator makes, so they agree bit for bit. Pure.
import type { AtifFinalMetrics, AtifMetrics } from '../atif.js';
import type { TrialUsage } from '../claude/usage.js';

export interface Tokens {
  /** Every prompt token, cached ones included. */
  prompt: number;
  cached: number;
  /** Every generated token (candidates + thinking). */
  completion: number;
}

/** USD per million tokens. */
export interface Rates {
  input: number;
  cachedInput: number;
  output: number;
}
export interface Price extends Rates {
  /** A call whose prompt is above this many tokens is billed at `long`. */
  longAbove?: number;
  long?: Rates;
}
export type PriceOf = (model: string | undefined) => Price | undefined;

export interface MeteredStep {
  model?: string;
  /** undefined: the step stands for no API response of its own. */
  tokens?: Tokens;
}

export interface Accounting {
  perStep: Array<AtifMetrics | undefined>;
  final: Omit<AtifFinalMetrics, 'total_steps'>;
  /** For agent_result; undefined when nothing reported any usage. */
  usage?: TrialUsage;
}

const KEYS = ['prompt', 'cached', 'completion'] as const;
const zero = (): Tokens => ({ prompt: 0, cached: 0, completion: 0 });
const round10 = (x: number) => Math.round(x * 1e10) / 1e10;

export const anyTokens = (t: Tokens) => KEYS.some((k) => t[k] > 0);

export function sumTokens(ts: Iterable<Tokens>): Tokens {
  const s = zero();
  for (const t of ts) for (const k of KEYS) s[k] += t[k];
  return s;
}

/** List-price cost of one call's tokens; undefined for a model the table does not know. */
export function estimate(t: Tokens, price: Price | undefined): number | undefined {
  if (!price) return undefined;
  const r = price.long && price.longAbove !== undefined && t.prompt > price.longAbove ? price.long : price;
  const uncached = Math.max(0, t.prompt - t.cached);
  return round10((uncached * r.input + t.cached * r.cachedInput + t.completion * r.output) / 1e6);
}

/**
 * `steps` are the trajectory's agent steps in order; `reported` the CLI's totals by model
 * (one entry keyed by the run's model when the CLI gives no breakdown). When `reported`
 * has usage but no step can carry it, the caller adds an agent step first.
 */
export function account(
  steps: MeteredStep[],
  reported: Map<string, Tokens> | undefined,
  priceOf: PriceOf,
  defaultModel?: string,
): Accounting {
  const modelOf = (s: MeteredStep) => s.model ?? defaultModel ?? '';
  // Each step's usage as charges by model: its own response, plus differences charged to it.
  const charges = steps.map((s) => (s.tokens ? new Map([[modelOf(s), { ...s.tokens }]]) : new Map<string, Tokens>()));
  const adjusted = steps.map((): Record<string, Partial<Tokens>> => ({}));
  for (const [model, total] of reported ?? []) {
    const own = steps.flatMap((s, i) => (charges[i].has(model) ? [i] : []));
    for (const k of KEYS) {
      let diff = total[k] - own.reduce((n, i) => n + charges[i].get(model)![k], 0);
      if (diff > 0) {
        const at = own.at(-1) ?? lastIndex(steps, (s, i) => charges[i].size > 0) ?? steps.length - 1;
        if (at < 0) continue;
        const c = charges[at].get(model) ?? zero();
        c[k] += diff;
        charges[at].set(model, c);
        (adjusted[at][model] ??= {})[k] = diff;
      }
      for (let j = own.length - 1; diff < 0 && j >= 0; j--) {
        const c = charges[own[j]].get(model)!;
        const take = Math.min(c[k], -diff);
        if (take <= 0) continue;
        c[k] -= take;
        diff += take;
        (adjusted[own[j]][model] ??= {})[k] = ((adjusted[own[j]][model] ??= {})[k] ?? 0) - take;
      }
    }
  }

  const perStep = charges.map((c, i): AtifMetrics | undefined => {
    if (!c.size) return undefined;
    const t = sumTokens(c.values());
    const costs = [...c].map(([m, x]) => estimate(x, priceOf(m || undefined)));
    const known = costs.every((x) => x !== undefined);
    const extra: Record<string, unknown> = {};
    if (c.size > 1) extra.by_model = Object.fromEntries(c);
    if (Object.keys(adjusted[i]).length) extra.adjusted_to_result_line = adjusted[i];
    return {
      prompt_tokens: t.prompt,
      completion_tokens: t.completion,
      cached_tokens: t.cached,
      ...(known ? { cost_usd: round10(costs.reduce((a: number, b) => a + b!, 0)) } : {}),
      ...(Object.keys(extra).length ? { extra } : {}),
    };
  });

  const metered = perStep.filter((m): m is AtifMetrics => m !== undefined);
  const reportedTotal = reported ? sumTokens(reported.values()) : undefined;
  if (!metered.length) {
    if (!reportedTotal) return { perStep, final: {} };
    // Reported, but nothing to charge it to: zeros (an API error before any answer).
    return {
      perStep,
      final: { total_prompt_tokens: 0, total_completion_tokens: 0, total_cached_tokens: 0, total_cost_usd: 0 },
      usage: { n_input_tokens: 0, n_cache_tokens: 0, n_output_tokens: 0, cost_usd: 0, estimated: true },
    };
  }
  // In step order from 0, as a validator adds them.
  const sum = (f: (m: AtifMetrics) => number) => perStep.reduce((n, m) => n + (m ? f(m) : 0), 0);
  const priced = metered.every((m) => m.cost_usd !== undefined);
  const cost = priced ? sum((m) => m.cost_usd!) : null;
  const final = {
    total_prompt_tokens: sum((m) => m.prompt_tokens),
    total_completion_tokens: sum((m) => m.completion_tokens),
    total_cached_tokens: sum((m) => m.cached_tokens),
    ...(cost !== null ? { total_cost_usd: cost } : {}),
    extra: { cost_source: priced ? 'list_price_estimate' : 'unknown_model_price' },
  };
  if (!priced) for (const m of metered) delete m.cost_usd;
  return {
    perStep,
    final,
    usage: {
      n_input_tokens: final.total_prompt_tokens,
      n_cache_tokens: final.total_cached_tokens,
      n_output_tokens: final.total_completion_tokens,
      cost_usd: cost,
      estimated: true,
    },
  };
}

function lastIndex<T>(xs: T[], f: (x: T, i: number) => boolean): number | undefined {
  for (let i = xs.length - 1; i >= 0; i--) if (f(xs[i], i)) return i;
  return undefined;
}
