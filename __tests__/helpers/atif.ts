// A validator for ATIF trajectories (Agent Trajectory Interchange Format, RFC 0001),
// written from Harbor's pydantic models and validator
// (https://github.com/laude-institute/harbor: src/harbor/models/trajectories/*.py, all
// `extra="forbid"`; src/harbor/utils/trajectory_validator.py), for tests. Like Harbor's:
// unknown keys rejected at every level, types checked (optional fields may be null), step
// ids 1..n, source_call_id naming a tool_call_id of the same step, agent-only fields only
// on agent steps, ISO-8601 timestamps, at least one step. Stricter than Harbor's: ints
// must be integers (pydantic's lax mode takes "3"), and final_metrics must be the exact
// sums of the step metrics, total_steps the number of steps.
import { z } from 'zod';

const VERSIONS = [
  'ATIF-v1.0',
  'ATIF-v1.1',
  'ATIF-v1.2',
  'ATIF-v1.3',
  'ATIF-v1.4',
  'ATIF-v1.5',
  'ATIF-v1.6',
  'ATIF-v1.7',
];
const AGENT_ONLY = ['model_name', 'reasoning_effort', 'reasoning_content', 'tool_calls', 'metrics'] as const;

const extra = z.record(z.string(), z.unknown()).nullish();
const int = z.number().int();
const str = z.string().nullish();

/** What Python's datetime.fromisoformat takes (after Harbor turns a trailing Z into +00:00). */
export function isIsoTimestamp(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/.exec(s);
  if (!m) return false;
  const [y, mo, d, h = '0', mi = '0', se = '0'] = m.slice(1).map((x) => x ?? '0');
  const day = new Date(Date.UTC(+y, +mo - 1, +d));
  return day.getUTCMonth() === +mo - 1 && day.getUTCDate() === +d && +h < 24 && +mi < 60 && +se < 60;
}

const imageSource = z.strictObject({
  media_type: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']),
  path: z.string(),
});
const contentPart = z
  .strictObject({ type: z.enum(['text', 'image']), text: str, source: imageSource.nullish() })
  .refine((p) => (p.type === 'text' ? p.text != null && p.source == null : p.source != null && p.text == null), {
    message: "a 'text' part needs text and no source, an 'image' part a source and no text",
  });
const content = z.union([z.string(), z.array(contentPart)]);

const toolCall = z.strictObject({
  tool_call_id: z.string(),
  function_name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  extra,
});
const subagentRef = z
  .strictObject({ trajectory_id: str, session_id: str, trajectory_path: str, extra })
  .refine((r) => r.trajectory_id != null || r.trajectory_path != null, {
    message: 'a subagent ref needs trajectory_id or trajectory_path',
  });
const observation = z.strictObject({
  results: z.array(
    z.strictObject({
      source_call_id: str,
      content: content.nullish(),
      subagent_trajectory_ref: z.array(subagentRef).nullish(),
      extra,
    }),
  ),
});
const metrics = z.strictObject({
  prompt_tokens: int.nullish(),
  completion_tokens: int.nullish(),
  cached_tokens: int.nullish(),
  cost_usd: z.number().nullish(),
  prompt_token_ids: z.array(int).nullish(),
  completion_token_ids: z.array(int).nullish(),
  logprobs: z.array(z.number()).nullish(),
  extra,
});

const step = z
  .strictObject({
    step_id: int.min(1),
    timestamp: z.string().refine(isIsoTimestamp, { message: 'not an ISO 8601 timestamp' }).nullish(),
    source: z.enum(['system', 'user', 'agent']),
    model_name: str,
    reasoning_effort: z.union([z.string(), z.number()]).nullish(),
    message: content,
    reasoning_content: str,
    tool_calls: z.array(toolCall).nullish(),
    observation: observation.nullish(),
    metrics: metrics.nullish(),
    is_copied_context: z.boolean().nullish(),
    llm_call_count: int.min(0).nullish(),
    extra,
  })
  .superRefine((s, ctx) => {
    for (const f of AGENT_ONLY)
      if (s.source !== 'agent' && s[f] != null)
        ctx.addIssue({
          code: 'custom',
          path: [f],
          message: `only applicable when source is 'agent', not '${s.source}'`,
        });
    if (s.source === 'agent' && s.llm_call_count === 0)
      for (const f of ['metrics', 'reasoning_content'] as const)
        if (s[f] != null)
          ctx.addIssue({ code: 'custom', path: [f], message: 'must be absent when llm_call_count is 0' });
  });

const finalMetrics = z.strictObject({
  total_prompt_tokens: int.nullish(),
  total_completion_tokens: int.nullish(),
  total_cached_tokens: int.nullish(),
  total_cost_usd: z.number().nullish(),
  total_steps: int.min(0).nullish(),
  extra,
});

type Step = z.output<typeof step>;

const trajectory: z.ZodType = z
  .strictObject({
    schema_version: z.enum(VERSIONS).optional(),
    session_id: str,
    trajectory_id: str,
    agent: z.strictObject({
      name: z.string(),
      version: z.string(),
      model_name: str,
      tool_definitions: z.array(z.record(z.string(), z.unknown())).nullish(),
      extra,
    }),
    steps: z.array(step).min(1),
    notes: str,
    final_metrics: finalMetrics.nullish(),
    continued_trajectory_ref: str,
    extra,
    subagent_trajectories: z.array(z.lazy(() => trajectory)).nullish(),
  })
  .superRefine((t, ctx) => {
    t.steps.forEach((s: Step, i: number) => {
      if (s.step_id !== i + 1)
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'step_id'], message: `expected ${i + 1}, got ${s.step_id}` });
      const ids = new Set((s.tool_calls ?? []).map((c) => c.tool_call_id));
      s.observation?.results.forEach((r, j) => {
        if (r.source_call_id != null && !ids.has(r.source_call_id))
          ctx.addIssue({
            code: 'custom',
            path: ['steps', i, 'observation', 'results', j, 'source_call_id'],
            message: `'${r.source_call_id}' is not a tool_call_id of step ${s.step_id}`,
          });
      });
    });
    const f = t.final_metrics;
    if (!f) return;
    const sum = (k: 'prompt_tokens' | 'completion_tokens' | 'cached_tokens' | 'cost_usd') =>
      t.steps.reduce((n: number, s: Step) => n + (s.metrics?.[k] ?? 0), 0);
    const pairs = [
      ['total_prompt_tokens', 'prompt_tokens'],
      ['total_completion_tokens', 'completion_tokens'],
      ['total_cached_tokens', 'cached_tokens'],
      ['total_cost_usd', 'cost_usd'],
    ] as const;
    for (const [total, k] of pairs)
      if (f[total] != null && f[total] !== sum(k))
        ctx.addIssue({
          code: 'custom',
          path: ['final_metrics', total],
          message: `${f[total]} is not the sum of steps' ${k} (${sum(k)})`,
        });
    if (f.total_steps != null && f.total_steps !== t.steps.length)
      ctx.addIssue({
        code: 'custom',
        path: ['final_metrics', 'total_steps'],
        message: `${f.total_steps}, but there are ${t.steps.length} steps`,
      });
  });

/** Every problem found, as "trajectory.<path>: <what>"; empty when the trajectory is valid. */
export function validateAtif(value: unknown): string[] {
  const r = trajectory.safeParse(value);
  if (r.success) return [];
  return r.error.issues.flatMap((i) => {
    const at = ['trajectory', ...i.path.map(String)].join('.');
    if (i.code === 'unrecognized_keys')
      return i.keys.map((k) => `${at}.${k}: unexpected field (not part of ATIF schema)`);
    return [`${at}: ${i.message}`];
  });
}
