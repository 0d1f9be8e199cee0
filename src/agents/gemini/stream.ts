// The boundary with gemini-cli's `--output-format stream-json` output: one JSON event per
// line (packages/core/src/output/types.ts of https://github.com/google-gemini/gemini-cli):
// init {session_id, model}; message {role, content, delta}; tool_use {tool_name, tool_id,
// parameters}; tool_result {tool_id, status, output, error}; error {severity, message};
// result {status, error?, stats}. Loose schemas: only the fields we use are checked, so a new
// field never breaks a trial; anything else (stderr shares the log) is plain output. Pure.
import { z } from 'zod';

const n = z.number().catch(0).default(0);

/** `result.stats`: tokens summed over every API response, per model too. */
const tokensSchema = z.looseObject({
  total_tokens: n,
  /** Every prompt token, cached ones included. */
  input_tokens: n,
  /** Candidates only: thinking tokens are in total_tokens, not here. */
  output_tokens: n,
  cached: n,
});
export type StatsTokens = z.output<typeof tokensSchema>;

const statsSchema = tokensSchema.extend({
  duration_ms: z.number().optional().catch(undefined),
  tool_calls: z.number().optional().catch(undefined),
  models: z.record(z.string(), tokensSchema).optional().catch(undefined),
});

const initLine = z.looseObject({
  type: z.literal('init'),
  session_id: z.string().optional().catch(undefined),
  model: z.string().optional().catch(undefined),
});
const messageLine = z.looseObject({
  type: z.literal('message'),
  role: z.string(),
  content: z.string().catch(''),
  delta: z.boolean().optional().catch(undefined),
});
const toolUseLine = z.looseObject({
  type: z.literal('tool_use'),
  tool_name: z.string(),
  tool_id: z.string().optional().catch(undefined),
  parameters: z.unknown(),
});
const toolResultLine = z.looseObject({
  type: z.literal('tool_result'),
  tool_id: z.string().optional().catch(undefined),
  status: z.string().catch('success'),
  output: z.string().optional().catch(undefined),
  error: z.looseObject({ type: z.string().optional(), message: z.string().optional() }).optional().catch(undefined),
});
const errorLine = z.looseObject({
  type: z.literal('error'),
  severity: z.string().optional().catch(undefined),
  message: z.string().catch(''),
});
const resultLine = z.looseObject({
  type: z.literal('result'),
  status: z.string(),
  error: z.looseObject({ type: z.string().optional(), message: z.string().optional() }).optional().catch(undefined),
  stats: statsSchema.optional().catch(undefined),
  timestamp: z.string().optional().catch(undefined),
});

export type InitLine = z.output<typeof initLine>;
export type MessageLine = z.output<typeof messageLine>;
export type ToolUseLine = z.output<typeof toolUseLine>;
export type ToolResultLine = z.output<typeof toolResultLine>;
export type ErrorLine = z.output<typeof errorLine>;
export type ResultLine = z.output<typeof resultLine>;

export type StreamLine =
  | { kind: 'init'; line: InitLine }
  | { kind: 'message'; line: MessageLine }
  | { kind: 'tool_use'; line: ToolUseLine }
  | { kind: 'tool_result'; line: ToolResultLine }
  | { kind: 'error'; line: ErrorLine }
  | { kind: 'result'; line: ResultLine }
  | { kind: 'other'; text: string };

const known = [
  ['init', initLine],
  ['message', messageLine],
  ['tool_use', toolUseLine],
  ['tool_result', toolResultLine],
  ['error', errorLine],
  ['result', resultLine],
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
    if (res.success) return { kind, line: res.data } as StreamLine;
  }
  return { kind: 'other', text };
}
