// List prices of OpenAI models, for agents whose CLI reports tokens but no cost (codex).
// The cost is then an estimate (agent_result.cost_estimated): prices change, gateways bill
// differently, and a model missing here gets no cost at all rather than a wrong one.
// Source: https://openai.com/api/pricing (standard tier, USD per million tokens), as listed
// on 2025-08-07; cached input is billed at the cached rate, reasoning tokens as output.

/** USD per million tokens. */
export interface Price {
  input: number;
  cachedInput: number;
  output: number;
}

export const PRICES_DATED = '2025-08-07';

/** Most specific first; matched against the model name without a `provider/` prefix. */
const PRICES: Array<[RegExp, Price]> = [
  [/^gpt-5(\.\d+)?-nano/, { input: 0.05, cachedInput: 0.005, output: 0.4 }],
  [/^gpt-5(\.\d+)?-mini/, { input: 0.25, cachedInput: 0.025, output: 2 }],
  [/^gpt-5(\.\d+)?(-codex)?(-\d{4}-\d{2}-\d{2})?$|^gpt-5-chat/, { input: 1.25, cachedInput: 0.125, output: 10 }],
  [/^gpt-4\.1-nano/, { input: 0.1, cachedInput: 0.025, output: 0.4 }],
  [/^gpt-4\.1-mini/, { input: 0.4, cachedInput: 0.1, output: 1.6 }],
  [/^gpt-4\.1/, { input: 2, cachedInput: 0.5, output: 8 }],
  [/^gpt-4o-mini/, { input: 0.15, cachedInput: 0.075, output: 0.6 }],
  [/^gpt-4o/, { input: 2.5, cachedInput: 1.25, output: 10 }],
  [/^o4-mini/, { input: 1.1, cachedInput: 0.275, output: 4.4 }],
  [/^o3-mini/, { input: 1.1, cachedInput: 0.55, output: 4.4 }],
  [/^o3/, { input: 2, cachedInput: 0.5, output: 8 }],
  [/^codex-mini/, { input: 1.5, cachedInput: 0.375, output: 6 }],
];

export function priceOf(model: string | undefined): Price | undefined {
  const name = (model ?? '').replace(/^.*\//, '').toLowerCase();
  return PRICES.find(([re]) => re.test(name))?.[1];
}

/**
 * The estimated cost of one response: `input` includes the cached part (OpenAI's
 * input_tokens), so the uncached part is input - cached. undefined for an unknown model.
 */
export function estimateCost(
  u: { input: number; cached: number; output: number },
  model: string | undefined,
): number | undefined {
  const p = priceOf(model);
  if (!p) return undefined;
  const cached = Math.min(u.cached, u.input);
  return ((u.input - cached) * p.input + cached * p.cachedInput + u.output * p.output) / 1e6;
}
