// List prices of the Gemini API in USD per million tokens, for the estimate gemini-cli's
// usage needs (the CLI reports tokens, never cost). Source: https://ai.google.dev/gemini-api/docs/pricing
// (paid tier, text), as of PRICES_AS_OF; "cachedInput" is the context-caching read price;
// thinking tokens are billed as output. Most specific pattern first; a model not listed has
// no estimate (cost_usd null) rather than a wrong one.
import type { Price } from './accounting.js';

export const PRICES_AS_OF = '2025-12-01';

const PRICES: Array<[RegExp, Price]> = [
  [
    /gemini-3(\.\d+)?-pro/,
    { input: 2, cachedInput: 0.2, output: 12, longAbove: 200_000, long: { input: 4, cachedInput: 0.4, output: 18 } },
  ],
  [/gemini-3(\.\d+)?-flash/, { input: 0.5, cachedInput: 0.05, output: 3 }],
  [
    /gemini-2\.5-pro/,
    {
      input: 1.25,
      cachedInput: 0.125,
      output: 10,
      longAbove: 200_000,
      long: { input: 2.5, cachedInput: 0.25, output: 15 },
    },
  ],
  [/gemini-2\.5-flash-lite/, { input: 0.1, cachedInput: 0.01, output: 0.4 }],
  [/gemini-2\.5-flash/, { input: 0.3, cachedInput: 0.03, output: 2.5 }],
  [/gemini-2\.0-flash-lite/, { input: 0.075, cachedInput: 0.075, output: 0.3 }],
  [/gemini-2\.0-flash/, { input: 0.1, cachedInput: 0.025, output: 0.4 }],
];

export function geminiPrice(model: string | undefined): Price | undefined {
  return PRICES.find(([re]) => re.test(model ?? ''))?.[1];
}
