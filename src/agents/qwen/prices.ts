// List prices of Qwen models in USD per million tokens, for the estimate qwen-code's usage
// needs (the CLI reports tokens, never cost). Source: Alibaba Cloud Model Studio
// (https://www.alibabacloud.com/help/en/model-studio/models, international, as of
// PRICES_AS_OF); "cachedInput" is the implicit-cache price (20 % of input). Tiered models
// are billed by prompt size; only the first step up (above 32K tokens) is modelled, so a
// prompt above 128K is under-estimated. Most specific pattern first; a model not listed (a
// gateway's own name) has no estimate (cost_usd null) rather than a wrong one.
import type { Price } from '../gemini/accounting.js';

export const PRICES_AS_OF = '2025-12-01';

const PRICES: Array<[RegExp, Price]> = [
  [
    /qwen3-coder-plus/,
    { input: 1, cachedInput: 0.2, output: 5, longAbove: 32_000, long: { input: 1.8, cachedInput: 0.36, output: 9 } },
  ],
  [
    /qwen3-coder-flash/,
    {
      input: 0.3,
      cachedInput: 0.06,
      output: 1.5,
      longAbove: 32_000,
      long: { input: 0.5, cachedInput: 0.1, output: 2.5 },
    },
  ],
  [
    /qwen3-max/,
    {
      input: 1.2,
      cachedInput: 0.24,
      output: 6,
      longAbove: 32_000,
      long: { input: 2.4, cachedInput: 0.48, output: 12 },
    },
  ],
  [/qwen-plus/, { input: 0.4, cachedInput: 0.08, output: 1.2 }],
  [/qwen-flash/, { input: 0.05, cachedInput: 0.01, output: 0.4 }],
];

export function qwenPrice(model: string | undefined): Price | undefined {
  return PRICES.find(([re]) => re.test(model ?? ''))?.[1];
}
