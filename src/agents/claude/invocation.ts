// The claude command line and environment for one trial. Pure, table-tested.
// The instruction goes on stdin, never argv (an agent's `pkill -f` once matched its own
// prompt); secrets are only ever named (`docker exec -e NAME`), their values travel in
// the docker client's environment.
import { shQuote } from '../../environment/types.js';

/** Where the host's <cache>/<version> folder is mounted read-only. */
export const MOUNT_POINT = '/opt/tb2/claude-code';
/** Session transcripts (CLAUDE_CONFIG_DIR/projects/…) land in the trial's agent folder. */
export const CONFIG_DIR = '/logs/agent/sessions';
export const STREAM_LOG = 'claude-code.jsonl';
/** The claude process's own pid (the script execs into it), to stop just that process. */
export const PID_FILE = '/tmp/.tb2-claude.pid';

/**
 * Retries: Claude Code retries a failed API call 10 times by default with backoff, which
 * with a bad key or an exhausted quota burns about three minutes of the agent timeout
 * before it reports. Two retries still ride out a transient 429/529 (each backs off for
 * seconds) yet fail fast on a dead key. A caller who sets CLAUDE_CODE_MAX_RETRIES wins.
 */
export const DEFAULT_MAX_RETRIES = '2';

export interface InvocationSettings {
  binPath: string;
  model?: string;
  maxTurns?: number;
  forwardEnv: Record<string, string>;
  /** Container path of the task's MCP servers as Claude Code's config (claude/mcp-config.ts). */
  mcpConfig?: string;
}

export { shQuote };

export function claudeScript(s: InvocationSettings): string {
  const args = ['-p', '--output-format', 'stream-json', '--verbose', '--dangerously-skip-permissions'];
  if (s.model) args.push('--model', s.model);
  if (s.maxTurns) args.push('--max-turns', String(s.maxTurns));
  if (s.mcpConfig) args.push('--mcp-config', s.mcpConfig);
  // mkdir: the config folder must exist before Claude Code writes its session there.
  return `echo $$ > ${PID_FILE} && mkdir -p ${CONFIG_DIR} && exec ${shQuote(s.binPath)} ${args.map(shQuote).join(' ')}`;
}

/**
 * Ends a claude process that lingers after its `result` line. Only that process: what it
 * started (a server the verifier will check) is reparented to the container's init and
 * keeps running, as when claude exits by itself.
 */
export const STOP_SCRIPT = `p=$(cat ${PID_FILE} 2>/dev/null) || exit 0
kill -TERM "$p" 2>/dev/null || exit 0
for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || exit 0; sleep 0.2; done
kill -KILL "$p" 2>/dev/null; exit 0`;

/**
 * Claude Code writes its session log mode 0600: as the agent's user (its owner) open it to
 * the runner's user on the host, who reads it for the trajectory. Only run when it cannot.
 */
export const UNLOCK_SESSIONS = `chmod -R a+rX ${CONFIG_DIR} 2>/dev/null; true`;

/** Every variable the claude process gets; the runner passes each by name only. */
export function claudeEnv(forwardEnv: Record<string, string>): Record<string, string> {
  return {
    // The binary is mounted read-only: it must not try to update itself.
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_MAX_RETRIES: DEFAULT_MAX_RETRIES,
    ...forwardEnv,
    // Bypassing permissions as root is refused unless the process knows it is sandboxed.
    IS_SANDBOX: '1',
    CLAUDE_CONFIG_DIR: CONFIG_DIR,
  };
}
