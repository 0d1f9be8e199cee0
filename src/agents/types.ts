// What every agent implements. An agent runs in the task container through the context
// the runner gives it; it never starts or removes containers itself.
import type { AgentConfig } from '../config/config.js';
import type { Environment, Mount } from '../environment/types.js';
import type { AgentMessage } from '../events.js';
import type { Task } from '../task/load.js';

/** The agent's settings from Config (settings.ts, group "agent"), and what the entry forwards. */
export type AgentSettings = AgentConfig & {
  /** Host environment to forward by name (e.g. ANTHROPIC_API_KEY); never on argv. */
  forwardEnv: Record<string, string>;
};

export interface AgentContext {
  task: Task;
  /** Where the agent runs: `main`, as `[agent] user`, in `[environment] workdir`. */
  env: Environment;
  /** Host folder bind-mounted at /logs/agent. */
  agentDir: string;
  signal: AbortSignal;
  timeoutMs: number;
  /** Bytes of raw output the live log shows at most (the log file is cut to the same). */
  maxLoggedBytes: number;
  /** A plain output line of the agent (already split). */
  output: (line: string) => void;
  /** A structured agent event (claude-code's stream). */
  message: (m: AgentMessage) => void;
  usage: (u: {
    n_input_tokens: number;
    n_cache_tokens: number;
    n_output_tokens: number;
    cost_usd: number | null;
    estimated: boolean;
  }) => void;
  /** What the agent learnt about itself while running (e.g. the model it resolved). */
  info?: (i: { version?: string; model?: string }) => void;
}

export interface AgentOutcome {
  exitCode: number;
  timedOut: boolean;
  aborted: boolean;
  /** An agent-level failure to record (the trial still verifies). */
  error?: { type: string; message: string };
}

export interface Agent {
  readonly name: string;
  readonly version?: string;
  readonly model?: string;
  /** Takes the task's `[[environment.mcp_servers]]` (claude-code); other agents record that they ignored them. */
  readonly takesMcpServers?: boolean;
  /** Before the container starts, on the host: fetch and cache; returns extra mounts. */
  prepare?(signal: AbortSignal): Promise<{ mounts: Mount[] }>;
  /** agent_setup phase, in the running container (copy files, probe libc…). */
  setup?(ctx: AgentContext): Promise<void>;
  run(ctx: AgentContext): Promise<AgentOutcome>;
}

/** The usual outcome of a script exec: timeout and non-zero exit become recorded errors. */
export function outcomeOf(
  res: { exitCode: number; timedOut: boolean; aborted: boolean },
  timeoutMs: number,
  what: string,
): AgentOutcome {
  if (res.timedOut)
    return {
      ...res,
      error: { type: 'AgentTimeoutError', message: `${what} timed out after ${timeoutMs / 1000}s and was stopped` },
    };
  if (!res.aborted && res.exitCode !== 0)
    return {
      ...res,
      error: { type: 'NonZeroAgentExitCodeError', message: `${what} exited with code ${res.exitCode}` },
    };
  return res;
}
