// Token usage and cost for agent_result (Harbor's field names). From the `result` line
// when there is one; when the process was killed before it, summed from the assistant
// messages, de-duplicated by message id (each content block of one API message comes as
// its own `assistant` line repeating the same usage), with an estimated cost.
// Limitation of the fallback: an `assistant` line carries the usage of the stream's
// message_start, whose output_tokens is not yet the final count, so output is low.
import type { AgentUsage } from '../../events.js';
import type { StreamUsage } from './stream.js';

export interface TrialUsage {
  n_input_tokens: number;
  n_cache_tokens: number;
  n_output_tokens: number;
  cost_usd: number | null;
  estimated: boolean;
}

/** USD per million tokens. */
interface Price {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/**
 * Per model family, most specific first. Source: the `total_cost_usd` Claude Code 2.1.328
 * itself reports (measured against the scripted API with 1M tokens of each kind, one kind
 * at a time, 2026-11-25); for Sonnet 4.x, Haiku 4.5 and Opus 4.5+ they are also
 * Anthropic's published list prices (https://www.anthropic.com/pricing#api). Models it
 * does not know it prices like its default model, and so do we.
 */
const PRICES: Array<[RegExp, Price]> = [
  [/opus-5-5/, { input: 4, output: 20, cacheRead: 0.2, cacheWrite: 5 }],
  [/opus-(4-[5-9]|5)/, { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 }],
  [/sonnet-5-5/, { input: 2, output: 10, cacheRead: 0.1, cacheWrite: 2.5 }],
  [/sonnet-5/, { input: 2, output: 10, cacheRead: 0.2, cacheWrite: 2.5 }],
  [/sonnet-4/, { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 }],
  [/haiku-4/, { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 }],
  [/3-5-haiku/, { input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1 }],
];
const DEFAULT_PRICE: Price = { input: 4, output: 20, cacheRead: 0.2, cacheWrite: 5 };

export function priceOf(model: string | undefined): Price {
  return PRICES.find(([re]) => re.test(model ?? ''))?.[1] ?? DEFAULT_PRICE;
}

export function estimateCost(u: StreamUsage, model: string | undefined): number {
  const p = priceOf(model);
  const usd =
    (u.input_tokens * p.input +
      u.output_tokens * p.output +
      u.cache_read_input_tokens * p.cacheRead +
      u.cache_creation_input_tokens * p.cacheWrite) /
    1e6;
  return Math.round(usd * 1e10) / 1e10;
}

/** n_input_tokens counts every prompt token: uncached + cache read + cache written. */
export function trialUsage(u: StreamUsage, cost: number | null, estimated: boolean): TrialUsage {
  return {
    n_input_tokens: u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens,
    n_cache_tokens: u.cache_read_input_tokens,
    n_output_tokens: u.output_tokens,
    cost_usd: cost,
    estimated,
  };
}

export function toAgentUsage(u: StreamUsage): AgentUsage {
  return {
    input_tokens: u.input_tokens,
    cache_read_input_tokens: u.cache_read_input_tokens,
    cache_creation_input_tokens: u.cache_creation_input_tokens,
    output_tokens: u.output_tokens,
  };
}

/** Sums assistant-message usage, once per message id, per model (for the estimate). */
export class UsageSum {
  private readonly seen = new Set<string>();
  private readonly byModel = new Map<string, StreamUsage>();

  /** Returns false for a repeat of a message already counted. */
  add(id: string | undefined, model: string | undefined, u: StreamUsage): boolean {
    if (id !== undefined) {
      if (this.seen.has(id)) return false;
      this.seen.add(id);
    }
    const key = model ?? '';
    const s = this.byModel.get(key) ?? {
      input_tokens: 0,
      output_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    };
    s.input_tokens += u.input_tokens;
    s.output_tokens += u.output_tokens;
    s.cache_read_input_tokens += u.cache_read_input_tokens;
    s.cache_creation_input_tokens += u.cache_creation_input_tokens;
    this.byModel.set(key, s);
    return true;
  }

  get empty(): boolean {
    return this.seen.size === 0 && this.byModel.size === 0;
  }

  total(): TrialUsage {
    const all: StreamUsage = {
      input_tokens: 0,
      output_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    };
    let cost = 0;
    for (const [model, u] of this.byModel) {
      all.input_tokens += u.input_tokens;
      all.output_tokens += u.output_tokens;
      all.cache_read_input_tokens += u.cache_read_input_tokens;
      all.cache_creation_input_tokens += u.cache_creation_input_tokens;
      cost += estimateCost(u, model || undefined);
    }
    return trialUsage(all, Math.round(cost * 1e10) / 1e10, true);
  }
}
