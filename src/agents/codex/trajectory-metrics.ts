// The totals of a codex trajectory (final_metrics, and agent_result equal to them), and the
// one-step trajectory made from the stream when there is no session log. Costs are list-price
// estimates (../openai/prices.ts), summed in step order as ATIF validators sum them. Pure.
import { ATIF_VERSION, type AtifStep, type AtifTrajectory } from '../atif.js';
import { estimateCost, PRICES_DATED } from '../openai/prices.js';
import type { CodexUsage } from './stream.js';

const MAX_CONTENT = 64 * 1024;
export const clip = (s: string) =>
  s.length > MAX_CONTENT ? `${s.slice(0, MAX_CONTENT)}… [cut at ${MAX_CONTENT} characters]` : s;

export interface TrialUsage {
  n_input_tokens: number;
  n_cache_tokens: number;
  n_output_tokens: number;
  cost_usd: number | null;
  estimated: boolean;
}

export interface BuildOptions {
  agentVersion: string;
  model?: string;
  sessionId?: string;
  instruction: string;
}

/** No rollout (codex never got that far, or it was not copied): one step with the stream's totals. */
export function buildFromStream(
  texts: string[],
  usage: CodexUsage | undefined,
  o: BuildOptions,
): { trajectory: AtifTrajectory; usage: TrialUsage } | undefined {
  if (!usage && !texts.length) return undefined;
  const steps: AtifStep[] = [{ step_id: 0, source: 'user', message: clip(o.instruction) }];
  const step: AtifStep = { step_id: 0, source: 'agent', model_name: o.model, message: clip(texts.join('\n\n')) };
  if (usage) {
    const cost = estimateCost(
      { input: usage.input_tokens, cached: usage.cached_input_tokens, output: usage.output_tokens },
      o.model,
    );
    step.metrics = {
      prompt_tokens: usage.input_tokens,
      completion_tokens: usage.output_tokens,
      cached_tokens: usage.cached_input_tokens,
      ...(cost !== undefined ? { cost_usd: cost } : {}),
      extra: { reasoning_output_tokens: usage.reasoning_output_tokens ?? 0 },
    };
  }
  steps.push(step);
  return finish(steps, o, o.model, o.sessionId, { source: 'stream' });
}

export function finish(
  steps: AtifStep[],
  o: BuildOptions,
  model: string | undefined,
  sessionId: string | undefined,
  extra: Record<string, unknown>,
): { trajectory: AtifTrajectory; usage: TrialUsage } {
  steps.forEach((s, i) => {
    s.step_id = i + 1;
    if (s.timestamp === undefined) delete s.timestamp;
    if (s.source === 'agent' && s.model_name === undefined) delete s.model_name;
  });
  const withMetrics = steps.filter((s) => s.metrics);
  const sum = (k: 'prompt_tokens' | 'completion_tokens' | 'cached_tokens') =>
    withMetrics.reduce((n, s) => n + (s.metrics?.[k] ?? 0), 0);
  // A cost only when every priced step has one (a known model); summed in step order, as validators do.
  const priced = withMetrics.length > 0 && withMetrics.every((s) => s.metrics?.cost_usd !== undefined);
  const cost = priced ? steps.reduce((n, s) => n + (s.metrics?.cost_usd ?? 0), 0) : undefined;
  const trajectory: AtifTrajectory = {
    schema_version: ATIF_VERSION,
    ...(sessionId ? { session_id: sessionId } : {}),
    agent: { name: 'codex', version: o.agentVersion, ...(model ? { model_name: model } : {}) },
    steps,
    final_metrics: {
      total_prompt_tokens: sum('prompt_tokens'),
      total_completion_tokens: sum('completion_tokens'),
      total_cached_tokens: sum('cached_tokens'),
      ...(cost !== undefined ? { total_cost_usd: cost } : {}),
      total_steps: steps.length,
      extra: { cost_source: cost !== undefined ? `list_price_estimate (${PRICES_DATED})` : 'unknown_model' },
    },
    extra,
  };
  return {
    trajectory,
    usage: {
      n_input_tokens: sum('prompt_tokens'),
      n_cache_tokens: sum('cached_tokens'),
      n_output_tokens: sum('completion_tokens'),
      cost_usd: cost ?? null,
      estimated: true,
    },
  };
}
