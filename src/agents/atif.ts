// The subset of ATIF (Agent Trajectory Interchange Format, RFC 0001) that our LLM agents
// write to agent/trajectory.json, as Harbor does for its own agents (claude-code first).
// Field names and nesting follow Harbor's pydantic models, all `extra="forbid"`
// (https://github.com/laude-institute/harbor, src/harbor/models/trajectories/*.py): a key
// not listed there makes Harbor reject the file, so anything of ours goes under `extra`.
// Types only; the conversion is trajectory.ts.

export const ATIF_VERSION = 'ATIF-v1.7';

export type Extra = Record<string, unknown>;

export interface AtifToolCall {
  tool_call_id: string;
  function_name: string;
  arguments: Record<string, unknown>;
  extra?: Extra;
}

export interface AtifObservationResult {
  /** A tool_call_id of the same step; absent for a result no call of that step explains. */
  source_call_id?: string;
  content?: string;
  extra?: Extra;
}

export interface AtifMetrics {
  /** Every prompt token: uncached input + cache reads + cache writes. */
  prompt_tokens: number;
  completion_tokens: number;
  /** The part of prompt_tokens read from the prompt cache. */
  cached_tokens: number;
  cost_usd?: number;
  extra?: Extra;
}

export interface AtifStep {
  step_id: number;
  timestamp?: string;
  source: 'system' | 'user' | 'agent';
  /** Agent steps only (Harbor's validator), as are reasoning_content, tool_calls, metrics. */
  model_name?: string;
  message: string;
  reasoning_content?: string;
  tool_calls?: AtifToolCall[];
  observation?: { results: AtifObservationResult[] };
  metrics?: AtifMetrics;
  /** ATIF-v1.7: how many LLM inferences this step stands for. */
  llm_call_count?: number;
  extra?: Extra;
}

export interface AtifFinalMetrics {
  total_prompt_tokens?: number;
  total_completion_tokens?: number;
  total_cached_tokens?: number;
  total_cost_usd?: number;
  total_steps: number;
  extra?: Extra;
}

export interface AtifTrajectory {
  schema_version: typeof ATIF_VERSION;
  session_id?: string;
  agent: { name: string; version: string; model_name?: string; extra?: Extra };
  steps: AtifStep[];
  notes?: string;
  final_metrics: AtifFinalMetrics;
  extra?: Extra;
}
