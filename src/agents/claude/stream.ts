// The boundary with Claude Code's `--output-format stream-json --verbose` stream: one
// JSON object per line (https://code.claude.com/docs/en/headless, message types of the
// Agent SDK: https://docs.claude.com/en/docs/agent-sdk/typescript#message-types).
// Schemas are loose on purpose: only the fields we use are checked, everything else
// passes through, so a new field never breaks a trial. Pure.
import { z } from 'zod';

const usageSchema = z.looseObject({
  input_tokens: z.number().catch(0).default(0),
  output_tokens: z.number().catch(0).default(0),
  cache_read_input_tokens: z
    .number()
    .nullish()
    .transform((n) => n ?? 0),
  cache_creation_input_tokens: z
    .number()
    .nullish()
    .transform((n) => n ?? 0),
});
export type StreamUsage = z.output<typeof usageSchema>;

const textBlock = z.looseObject({ type: z.literal('text'), text: z.string() });
const toolUseBlock = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string().optional(),
  name: z.string(),
  input: z.unknown(),
});
const toolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().optional(),
  content: z.unknown(),
  is_error: z.boolean().nullish(),
});
// Any other block (thinking, images, server tools…) is kept as "other" and skipped.
const block = z.union([textBlock, toolUseBlock, toolResultBlock, z.looseObject({ type: z.string() })]);

const initLine = z.looseObject({
  type: z.literal('system'),
  subtype: z.literal('init'),
  session_id: z.string().optional().catch(undefined),
  model: z.string().optional(),
  claude_code_version: z.string().optional(),
  cwd: z.string().optional(),
  permissionMode: z.string().optional(),
  tools: z.array(z.unknown()).optional(),
});

/** Claude Code's own retry notice for a failed API call (status and attempt). */
const retryLine = z.looseObject({
  type: z.literal('system'),
  subtype: z.literal('api_retry'),
  attempt: z.number().optional(),
  max_retries: z.number().optional(),
  retry_delay_ms: z.number().optional(),
  error_status: z.number().nullish(),
  error: z.string().optional(),
});

const assistantLine = z.looseObject({
  type: z.literal('assistant'),
  message: z.looseObject({
    id: z.string().optional(),
    model: z.string().optional(),
    usage: usageSchema.optional(),
    content: z.array(block).catch([]),
  }),
});

const userLine = z.looseObject({
  type: z.literal('user'),
  message: z.looseObject({ content: z.union([z.string(), z.array(block)]).catch([]) }),
});

const resultLine = z.looseObject({
  type: z.literal('result'),
  subtype: z.string(),
  session_id: z.string().optional().catch(undefined),
  is_error: z.boolean().catch(false),
  num_turns: z.number().optional(),
  duration_ms: z.number().optional(),
  total_cost_usd: z.number().nullish(),
  usage: usageSchema.optional(),
  api_error_status: z.number().nullish(),
  api_error_type: z.string().nullish(),
  result: z.string().nullish(),
  errors: z.array(z.string()).nullish(),
});

export type InitLine = z.output<typeof initLine>;
export type RetryLine = z.output<typeof retryLine>;
export type AssistantLine = z.output<typeof assistantLine>;
export type UserLine = z.output<typeof userLine>;
export type ResultLine = z.output<typeof resultLine>;

export type StreamLine =
  | { kind: 'init'; line: InitLine }
  | { kind: 'retry'; line: RetryLine }
  | { kind: 'assistant'; line: AssistantLine }
  | { kind: 'user'; line: UserLine }
  | { kind: 'result'; line: ResultLine }
  /** Not JSON, not an object, or a type we do not know: shown as plain output. */
  | { kind: 'other'; text: string };

const known = [
  ['init', initLine],
  ['retry', retryLine],
  ['assistant', assistantLine],
  ['user', userLine],
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
