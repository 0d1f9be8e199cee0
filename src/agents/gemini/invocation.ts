// The gemini-cli command line, settings and environment for one trial. Pure, table-tested.
// The instruction goes on stdin, never argv; the key is only ever named (`docker exec -e
// GEMINI_API_KEY`). Settings (no secret in them) are written inside the container into a
// home of their own, outside /logs/agent: GEMINI_CLI_HOME/.gemini/settings.json.
import { shQuote } from '../../environment/types.js';

export const AGENT = 'gemini-cli';
export const PACKAGE = '@google/gemini-cli';
/** Pinned default (../shared/AGENTS.md): the version checked on this machine. */
export const DEFAULT_VERSION = '0.61.0';
/** The bundle is self-contained: no dependencies to install beside it. */
export const ENTRY = 'bundle/gemini.js';
export const HOME = '/tmp/tb2-gemini-cli';
export const STREAM_LOG = 'gemini-cli.txt';
export const SESSIONS_DIR = '/logs/agent/sessions';
/**
 * API attempts per request (gemini-cli's default is 10, minutes of backoff on a 429). Three
 * still ride out a transient 429/503 (5 s, then 10 s of backoff) and report within a minute.
 */
export const DEFAULT_MAX_ATTEMPTS = 3;

/** Keys of packages/cli/src/config/settingsSchema.ts. */
export function settingsOf(s: { maxTurns?: number }): Record<string, unknown> {
  return {
    // GOOGLE_GEMINI_BASE_URL is refused under the default auth ("Invalid auth method selected.").
    security: { auth: { selectedType: 'gemini-api-key' }, folderTrust: { enabled: false } },
    general: {
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
      enableAutoUpdate: false,
      enableAutoUpdateNotification: false,
      checkpointing: { enabled: false },
    },
    // No outbound calls but the model API: usage statistics (Clearcut) and telemetry off.
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false, logPrompts: false },
    ...(s.maxTurns ? { model: { maxSessionTurns: s.maxTurns } } : {}),
  };
}

export function geminiScript(command: string, s: { model?: string; maxTurns?: number }): string {
  const args = ['--output-format', 'stream-json', '--yolo'];
  if (s.model) args.push('--model', s.model);
  const settings = JSON.stringify(settingsOf(s));
  return [
    `mkdir -p ${HOME}/.gemini`,
    `printf '%s\\n' ${shQuote(settings)} > ${HOME}/.gemini/settings.json`,
    `exec ${command} ${args.map(shQuote).join(' ')}`,
  ].join(' && ');
}

/** After the run: the chat log (conversation only, no settings) into the trial's agent folder. */
export const COLLECT_SESSIONS = `mkdir -p ${SESSIONS_DIR} && for f in ${HOME}/.gemini/tmp/*/chats/*.json*; do [ -f "$f" ] && cp "$f" ${SESSIONS_DIR}/; done; chmod -R a+rX ${SESSIONS_DIR} 2>/dev/null; true`;

/** Every variable the process gets; the runner passes each by name only. */
export function geminiEnv(forwardEnv: Record<string, string>): Record<string, string> {
  return {
    // One process: no relaunch of itself with a bigger heap (a second node, slower start).
    GEMINI_CLI_NO_RELAUNCH: 'true',
    ...forwardEnv,
    GEMINI_CLI_HOME: HOME,
    // Headless yolo mode still asks before acting in an untrusted folder.
    GEMINI_CLI_TRUST_WORKSPACE: 'true',
  };
}
