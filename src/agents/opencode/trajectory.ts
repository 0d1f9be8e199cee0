// agent/trajectory.json (ATIF, HARBOR.md "ATIF trajectory") from opencode's own stream,
// agent/opencode.txt, as Harbor's opencode agent builds it: one agent step per model turn
// (step_start … step_finish), holding its text, reasoning, tool calls with their outputs as
// the observation, and step_finish's tokens and cost as the metrics. The stream does not
// carry the prompt: the first step is the instruction. Tokens: opencode's `input` is the
// uncached part, so prompt_tokens = input + cache.read + cache.write; its `output` leaves
// out reasoning, so completion_tokens = output + reasoning (what the API billed). Cost: what
// opencode reports (its catalogue's prices); when it reports none (0 everywhere: a model its
// catalogue does not price), each step is estimated from list prices (../openai/prices.ts,
// ../claude/usage.ts) and flagged; a provider with no table gets no cost. A turn cut short
// (killed) is kept, without metrics. Pure.
import { ATIF_VERSION, type AtifStep, type AtifTrajectory } from '../atif.js';
import { estimateCost as anthropicCost } from '../claude/usage.js';
import { estimateCost as openaiCost, PRICES_DATED } from '../openai/prices.js';
import { parseEvent, type StepTokens } from './stream.js';

const MAX_CONTENT = 64 * 1024;
const clip = (s: string) =>
  s.length > MAX_CONTENT ? `${s.slice(0, MAX_CONTENT)}… [cut at ${MAX_CONTENT} characters]` : s;
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const iso = (ms: unknown) => (typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : undefined);

export interface TrialUsage {
  n_input_tokens: number;
  n_cache_tokens: number;
  n_output_tokens: number;
  cost_usd: number | null;
  estimated: boolean;
}

export interface BuildOptions {
  agentVersion: string;
  /** As given (`openai/gpt-5`); undefined when opencode chose. */
  model?: string;
  instruction: string;
}

interface Open {
  step: AtifStep;
  texts: string[];
  reasoning: string[];
}

/** A step's list-price estimate, for a provider we have prices of. */
function estimate(t: StepTokens, model: string | undefined): number | undefined {
  const [provider, name] = model?.includes('/') ? [model.slice(0, model.indexOf('/')), model] : [undefined, model];
  const read = num(t.cache?.read);
  const write = num(t.cache?.write);
  const out = num(t.output) + num(t.reasoning);
  if (provider === 'openai') return openaiCost({ input: num(t.input) + read + write, cached: read, output: out }, name);
  if (provider === 'anthropic')
    return anthropicCost(
      {
        input_tokens: num(t.input),
        output_tokens: out,
        cache_read_input_tokens: read,
        cache_creation_input_tokens: write,
      },
      name?.slice('anthropic/'.length),
    );
  return undefined;
}

export function buildTrajectory(
  lines: Iterable<string>,
  o: BuildOptions,
): { trajectory: AtifTrajectory; usage: TrialUsage } | undefined {
  const steps: AtifStep[] = [];
  const reported: number[] = [];
  const tokens: StepTokens[] = [];
  let open: Open | undefined;
  let sessionId: string | undefined;
  const close = () => {
    if (!open) return;
    open.step.message = open.texts.join('\n\n');
    if (open.reasoning.length) open.step.reasoning_content = open.reasoning.join('\n\n');
    open = undefined;
  };
  const openStep = (ts?: string): Open => {
    if (!open) {
      open = {
        step: { step_id: 0, timestamp: ts, source: 'agent', model_name: o.model, message: '' },
        texts: [],
        reasoning: [],
      };
      steps.push(open.step);
    }
    return open;
  };

  for (const raw of lines) {
    const ev = parseEvent(raw);
    if (!ev) continue;
    sessionId ??= ev.sessionID;
    const part = ev.part ?? {};
    const ts = iso(ev.timestamp);
    if (ev.type === 'step_start') {
      close();
      openStep(ts);
    } else if (ev.type === 'text' && part.text?.trim()) openStep(ts).texts.push(clip(part.text));
    else if (ev.type === 'reasoning' && part.text?.trim()) openStep(ts).reasoning.push(clip(part.text));
    else if (ev.type === 'tool_use') {
      const s = openStep(ts).step;
      const id = part.callID ?? part.id ?? `call_${steps.length}_${(s.tool_calls ?? []).length}`;
      const input = part.state?.input;
      const args =
        input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : { input };
      (s.tool_calls ??= []).push({ tool_call_id: id, function_name: part.tool ?? 'tool', arguments: args });
      const st = part.state ?? {};
      const out = st.status === 'error' ? st.error : st.output;
      const content = typeof out === 'string' ? out : JSON.stringify(out ?? '');
      (s.observation ??= { results: [] }).results.push({ source_call_id: id, content: clip(content) });
    } else if (ev.type === 'step_finish') {
      const s = openStep(ts).step;
      const t = part.tokens ?? {};
      const read = num(t.cache?.read);
      const write = num(t.cache?.write);
      s.metrics = {
        prompt_tokens: num(t.input) + read + write,
        completion_tokens: num(t.output) + num(t.reasoning),
        cached_tokens: read,
        extra: { reasoning_tokens: num(t.reasoning), cache_write_tokens: write, finish_reason: part.reason ?? null },
      };
      s.llm_call_count = 1;
      reported.push(num(part.cost));
      tokens.push(t);
      close();
    }
  }
  close();
  if (!steps.length) return undefined;
  steps.unshift({ step_id: 0, source: 'user', message: clip(o.instruction) });

  // Reported when opencode priced any step; else a list-price estimate for every step, or nothing.
  const metered = steps.filter((s) => s.metrics);
  const fromOpencode = reported.some((c) => c > 0);
  const costs = fromOpencode ? reported : tokens.map((t) => estimate(t, o.model));
  const priced = costs.length > 0 && costs.every((c) => c !== undefined);
  if (priced) metered.forEach((s, i) => (s.metrics!.cost_usd = costs[i]));
  steps.forEach((s, i) => {
    s.step_id = i + 1;
    if (s.timestamp === undefined) delete s.timestamp;
    if (s.source === 'agent' && s.model_name === undefined) delete s.model_name;
  });
  const sum = (k: 'prompt_tokens' | 'completion_tokens' | 'cached_tokens') =>
    metered.reduce((n, s) => n + (s.metrics?.[k] ?? 0), 0);
  // Summed in step order, as ATIF validators sum them.
  const cost = priced ? steps.reduce((n, s) => n + (s.metrics?.cost_usd ?? 0), 0) : undefined;
  const source = !priced ? 'unknown' : fromOpencode ? 'opencode' : `list_price_estimate (${PRICES_DATED})`;
  const trajectory: AtifTrajectory = {
    schema_version: ATIF_VERSION,
    ...(sessionId ? { session_id: sessionId } : {}),
    agent: { name: 'opencode', version: o.agentVersion, ...(o.model ? { model_name: o.model } : {}) },
    steps,
    final_metrics: {
      total_prompt_tokens: sum('prompt_tokens'),
      total_completion_tokens: sum('completion_tokens'),
      total_cached_tokens: sum('cached_tokens'),
      ...(cost !== undefined ? { total_cost_usd: cost } : {}),
      total_steps: steps.length,
      extra: { cost_source: source },
    },
    extra: { source: 'stream' },
  };
  return {
    trajectory,
    usage: {
      n_input_tokens: sum('prompt_tokens'),
      n_cache_tokens: sum('cached_tokens'),
      n_output_tokens: sum('completion_tokens'),
      cost_usd: cost ?? null,
      estimated: priced && !fromOpencode,
    },
  };
}
