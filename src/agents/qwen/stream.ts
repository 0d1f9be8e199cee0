// The boundary with qwen-code's `-o stream-json` output: one JSON event per line, in Claude
// Code's shape (packages/cli/src/nonInteractive/types.ts of https://github.com/QwenLM/qwen-code):
// system/init {session_id, model, qwen_code_version, cwd, permission_mode, tools};
// assistant {message: {id, model, content: [text | thinking | tool_use {id, name, input}],
// usage}} — each content block of one API response on its own line, the response's usage on
// its last; user {message: {content: [tool_result {tool_use_id, is_error, content}]}};
// result {subtype: success | error_during_execution | error_max_turns…, is_error, num_turns,
// duration_ms, usage {input_tokens (cached included), output_tokens, cache_read_input_tokens},
// error?: {message}}. Loose schemas: only the fields we use are checked; anything else
// (stream_event, stderr sharing the log) is plain output or ignored. Pure.
import { z } from 'zod';

const n = z.number().catch(0).default(0);

export const usageSchema = z.looseObject({
  /** Every prompt token, cached ones included (the API's prompt_tokens). */
  input_tokens: n,
  output_tokens: n,
  cache_read_input_tokens: n,
});
export type QwenUsage = z.output<typeof usageSchema>;

const block = z.looseObject({ type: z.string() });
const initLine = z.looseObject({
  type: z.literal('system'),
  subtype: z.literal('init'),
  session_id: z.string().optional().catch(undefined),
  model: z.string().optional().catch(undefined),
  qwen_code_version: z.string().optional().catch(undefined),
  cwd: z.string().optional().catch(undefined),
  permission_mode: z.string().optional().catch(undefined),
  tools: z.array(z.unknown()).optional().catch(undefined),
});
const assistantLine = z.looseObject({
  type: z.literal('assistant'),
  message: z.looseObject({
    id: z.string().optional().catch(undefined),
    model: z.string().optional().catch(undefined),
    content: z.array(block).catch([]),
    usage: usageSchema.optional().catch(undefined),
  }),
});
const userLine = z.looseObject({
  type: z.literal('user'),
  message: z.looseObject({ content: z.union([z.array(block), z.string()]).catch([]) }),
});
const resultLine = z.looseObject({
  type: z.literal('result'),
  subtype: z.string(),
  is_error: z.boolean().catch(false),
  num_turns: z.number().optional().catch(undefined),
  duration_ms: z.number().optional().catch(undefined),
  total_cost_usd: z.number().optional().catch(undefined),
  result: z.string().optional().catch(undefined),
  usage: usageSchema.optional().catch(undefined),
  error: z.looseObject({ type: z.string().optional(), message: z.string().optional() }).optional().catch(undefined),
});
/** UI state and retry notices: the CLI also prints each retry as a plain line on stderr. */
const streamEvent = z.union([
  z.looseObject({ type: z.literal('stream_event') }),
  z.looseObject({ type: z.literal('system'), subtype: z.literal('retry') }),
]);

export type InitLine = z.output<typeof initLine>;
export type AssistantLine = z.output<typeof assistantLine>;
export type UserLine = z.output<typeof userLine>;
export type ResultLine = z.output<typeof resultLine>;
export type Block = Record<string, unknown> & { type: string };

export type StreamLine =
  | { kind: 'init'; line: InitLine }
  | { kind: 'assistant'; line: AssistantLine }
  | { kind: 'user'; line: UserLine }
  | { kind: 'result'; line: ResultLine }
  | { kind: 'event' }
  | { kind: 'other'; text: string };

const known = [
  ['init', initLine],
  ['assistant', assistantLine],
  ['user', userLine],
  ['result', resultLine],
  ['event', streamEvent],
] as const;

/** Classify one line of the stream. Never throws. */
export function parseStreamLine(text: string): StreamLine {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return { kind: 'other', text };
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return { kind: 'other', text };
  }
  for (const [kind, schema] of known) {
    const res = schema.safeParse(json);
    if (res.success) return (kind === 'event' ? { kind } : { kind, line: res.data }) as StreamLine;
  }
  return { kind: 'other', text };
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** A tool_result block's content as text (a string or text parts). */
export function resultText(c: unknown): string {
  if (typeof c === 'string') return c;
  if (Array.isArray(c))
    return c
      .map((p) => (p && typeof p === 'object' ? (str((p as Block).text) ?? '') : ''))
      .filter(Boolean)
      .join('\n');
  return c === undefined ? '' : JSON.stringify(c);
}

/** The HTTP status inside qwen-code's "[API Error: 401 Incorrect API key …]" text. */
export function apiStatusOf(message: string | undefined): number | undefined {
  const m =
    /API Error:\s*(\d{3})\b/.exec(message ?? '') ??
    /"code"\s*:\s*(\d{3})\b/.exec(message ?? '') ??
    /\bstatus(?:\s*code)?\s*[:=]?\s*(\d{3})\b/i.exec(message ?? '');
  return m ? Number(m[1]) : undefined;
}

/** Zero-usage text that is an API error qwen-code wrote in place of an answer. */
export const isApiErrorText = (text: string) => /^\[API Error:/.test(text.trim());
