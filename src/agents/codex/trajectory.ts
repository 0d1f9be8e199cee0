// agent/trajectory.json (ATIF, HARBOR.md "ATIF trajectory") from codex's own session log:
// the rollout `$CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl`, copied into the trial
// folder after the run. Its records (codex 0.169.0): `response_item` (message, reasoning,
// function_call, custom_tool_call, *_output — what went to and came from the model),
// `token_usage_record` {response_id, usage} written when an API response finished, and
// `turn_context` {model}. One agent step per API response: the items since the previous
// usage record, closed by the next one with its usage as the step's metrics (prompt_tokens
// = input_tokens, which include the cached part). A tool's output goes into the observation
// of the step that called it. A rollout cut short (killed) ends with an open step without
// metrics. Without a rollout, one step from the stream's totals. Codex reports no cost:
// each step's is estimated from ../openai/prices.ts. Pure.
import type { AtifStep, AtifToolCall, AtifTrajectory } from '../atif.js';
import { estimateCost } from '../openai/prices.js';
import { clip, finish, type BuildOptions, type TrialUsage } from './trajectory-metrics.js';
import type { CodexUsage } from './stream.js';

/** A rollout record (the fields we read); the payload's shape depends on its type. */
interface RolloutRecord {
  type?: string;
  timestamp?: unknown;
  payload?: Payload;
}

interface Payload {
  type?: string;
  role?: string;
  content?: unknown;
  summary?: unknown;
  name?: unknown;
  arguments?: unknown;
  input?: unknown;
  action?: unknown;
  call_id?: unknown;
  id?: unknown;
  output?: unknown;
  model?: unknown;
  session_id?: unknown;
  response_id?: unknown;
  usage?: CodexUsage;
}

const strOf = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

interface Open {
  step: AtifStep;
  texts: string[];
  reasoning: string[];
}

/** Context codex adds as user messages (environment, AGENTS.md, skills): not the user's words. */
const SYNTHETIC_USER = /^\s*(<environment_context|<user_instructions|<skills_instructions|<permissions|# AGENTS\.md)/;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((c: unknown) => strOf((c as { text?: unknown } | null)?.text) ?? '')
    .filter(Boolean)
    .join('\n');
}

function outputOf(output: unknown): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) return textOf(output);
  const content = strOf((output as { content?: unknown } | null)?.content);
  if (content !== undefined) return content;
  return JSON.stringify(output ?? '');
}

function argsOf(raw: unknown): Record<string, unknown> {
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) return raw as Record<string, unknown>;
  if (typeof raw === 'string') {
    try {
      const v: unknown = JSON.parse(raw);
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      /* a freeform tool's input (apply_patch): kept as text */
    }
    return { input: raw };
  }
  return {};
}

export function buildFromRollout(
  lines: Iterable<string>,
  o: BuildOptions,
): { trajectory: AtifTrajectory; usage: TrialUsage } | undefined {
  const steps: AtifStep[] = [];
  let open: Open | undefined;
  let model = o.model;
  let sessionId = o.sessionId;
  let usageRecords = 0;
  const callStep = new Map<string, AtifStep>();

  const openStep = (ts: string | undefined): Open => {
    if (!open) {
      open = {
        step: { step_id: 0, timestamp: ts, source: 'agent', model_name: model, message: '' },
        texts: [],
        reasoning: [],
      };
      steps.push(open.step);
    }
    return open;
  };
  const close = () => {
    if (!open) return;
    open.step.message = open.texts.join('\n\n');
    if (open.reasoning.length) open.step.reasoning_content = open.reasoning.join('\n\n');
    open = undefined;
  };

  for (const raw of lines) {
    let rec: RolloutRecord | undefined;
    try {
      rec = JSON.parse(raw) as RolloutRecord;
    } catch {
      continue;
    }
    const p = rec?.payload;
    if (!p || typeof p !== 'object') continue;
    const ts = strOf(rec.timestamp);
    if (rec.type === 'session_meta') sessionId ??= strOf(p.session_id) ?? strOf(p.id);
    else if (rec.type === 'turn_context' && typeof p.model === 'string') model = p.model;
    else if (rec.type === 'token_usage_record' && p.usage) {
      const u = p.usage;
      const step = openStep(ts).step;
      const prompt = num(u.input_tokens);
      const cached = num(u.cached_input_tokens);
      const out = num(u.output_tokens);
      const cost = estimateCost({ input: prompt, cached, output: out }, model);
      step.metrics = {
        prompt_tokens: prompt,
        completion_tokens: out,
        cached_tokens: cached,
        ...(cost !== undefined ? { cost_usd: cost } : {}),
        extra: { reasoning_output_tokens: num(u.reasoning_output_tokens), response_id: p.response_id },
      };
      usageRecords++;
      close();
    } else if (rec.type === 'response_item') {
      switch (p.type) {
        case 'message': {
          const text = textOf(p.content);
          if (p.role === 'assistant') {
            if (text.trim()) openStep(ts).texts.push(clip(text));
          } else if (p.role === 'user' && text.trim() && !SYNTHETIC_USER.test(text)) {
            close();
            steps.push({ step_id: 0, timestamp: ts, source: 'user', message: clip(text) });
          }
          break;
        }
        case 'reasoning': {
          const text = [textOf(p.summary), textOf(p.content)].filter(Boolean).join('\n');
          if (text.trim()) openStep(ts).reasoning.push(clip(text));
          break;
        }
        case 'function_call':
        case 'custom_tool_call':
        case 'local_shell_call': {
          const s = openStep(ts).step;
          const id = strOf(p.call_id) ?? strOf(p.id) ?? `call_${steps.length}_${(s.tool_calls ?? []).length}`;
          const call: AtifToolCall = {
            tool_call_id: id,
            function_name: strOf(p.name) ?? (p.type === 'local_shell_call' ? 'local_shell' : 'tool'),
            arguments: p.type === 'local_shell_call' ? argsOf(p.action) : argsOf(p.arguments ?? p.input),
          };
          (s.tool_calls ??= []).push(call);
          callStep.set(id, s);
          break;
        }
        case 'function_call_output':
        case 'custom_tool_call_output': {
          const id = strOf(p.call_id) ?? '';
          const s = callStep.get(id);
          const result = { source_call_id: id, content: clip(outputOf(p.output)) };
          if (s) (s.observation ??= { results: [] }).results.push(result);
          break;
        }
        default:
          break;
      }
    }
  }
  close();
  if (!steps.length) return undefined;
  if (!steps.some((s) => s.source === 'user'))
    steps.unshift({ step_id: 0, source: 'user', message: clip(o.instruction) });
  return finish(steps, o, model, sessionId, { source: 'session', usage_records: usageRecords });
}

export { buildFromStream } from './trajectory-metrics.js';
export type { TrialUsage } from './trajectory-metrics.js';

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
