// The typed event stream from the runner to every renderer (docs/ARCHITECTURE.md).
// The runner emits; log, summary, outputs, artifacts and the console only consume.
// No logic lives here.
import type { ErrorKind } from './errors.js';
import type { TestCase, TrialResult } from './trial-result.js';

export type { TestCase };

export type Phase = 'environment' | 'agent_setup' | 'agent' | 'verifier';

export interface AgentUsage {
  input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
  output_tokens: number;
}

/** What an agent reports about itself, beyond plain output lines (claude-code stream). */
export type AgentMessage =
  | {
      kind: 'init';
      model?: string;
      version?: string;
      /** The CLI's display name beside its version ("Claude Code" when absent). */
      product?: string;
      cwd?: string;
      permission_mode?: string;
      tools?: number;
    }
  | { kind: 'text'; text: string }
  | { kind: 'tool_use'; id?: string; name: string; gist: string }
  | { kind: 'tool_result'; id?: string; ok: boolean; gist: string }
  | { kind: 'turn'; turn: number }
  | {
      kind: 'result';
      subtype: string;
      is_error: boolean;
      num_turns?: number;
      duration_ms?: number;
      total_cost_usd?: number;
      usage?: AgentUsage;
      api_error_status?: number;
      text?: string;
    };

interface Base {
  trial_name: string;
  at: string; // ISO time
  /** The step of a multi-step task the event belongs to (its phases, errors, usage, verdict). */
  step?: string;
}

export type TrialEvent = Base &
  (
    | { type: 'trial_start'; task_name: string; task_dir: string; agent: string; attempt: number }
    | { type: 'phase_start'; phase: Phase; detail?: string }
    | { type: 'phase_end'; phase: Phase; ok: boolean; error?: string }
    | { type: 'output'; phase: Phase; line: string }
    | { type: 'agent_message'; message: AgentMessage }
    | { type: 'agent_info'; name: string; version?: string; model?: string }
    | {
        type: 'agent_usage';
        n_input_tokens: number;
        n_cache_tokens: number;
        n_output_tokens: number;
        cost_usd: number | null;
        estimated: boolean;
      }
    | { type: 'verifier_result'; rewards: Record<string, number>; reward: number; tests: TestCase[] }
    | {
        type: 'error';
        phase?: Phase;
        exception_type: string;
        message: string;
        fatal: boolean;
        /** The error's kind (errors.ts); set on fatal errors, where it decides the exit status. */
        kind?: ErrorKind;
      }
    /** A step of a multi-step task begins (`step` is its name). */
    | { type: 'step_start'; index: number; total: number; strategy: 'mean' | 'final' }
    /**
     * A step ended: its reward (null without a verifier result) and, when the trial stops
     * there, why (its min_reward not met, or it failed without a verdict).
     */
    | { type: 'step_end'; reward: number | null; stopped?: string; verifier_mode?: string }
    | { type: 'run_complete'; result: TrialResult }
    /** The trial ended in a transient error (--max-retries) and runs again, in a fresh folder of the same name. */
    | { type: 'trial_retry'; retry: number; max_retries: number; exception_type: string }
  );

/** A subscriber: renderers implement this; the runner calls it and never awaits it. */
export type Emit = (event: TrialEvent) => void;
