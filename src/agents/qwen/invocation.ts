// The qwen-code command line, settings and environment for one trial. Pure, table-tested.
// The instruction goes on stdin, never argv; the key and base URL are only ever named
// (`docker exec -e OPENAI_API_KEY -e OPENAI_BASE_URL`). Settings (no secret in them) are
// written inside the container into a home of their own, outside /logs/agent:
// QWEN_HOME/settings.json (QWEN_HOME replaces ~/.qwen).
import { shQuote } from '../../environment/types.js';

export const AGENT = 'qwen-code';
export const PACKAGE = '@qwen-code/qwen-code';
/** Pinned default (../shared/AGENTS.md): the version checked on this machine. */
export const DEFAULT_VERSION = '0.24.4';
/**
 * A bundle with no dependencies; its chunks/ and vendor/ sit beside it. The package's bin,
 * cli-entry.js, only relaunches this file with --expose-gc through spawnSync: running it
 * directly saves a Node start and makes the pid we may have to stop the CLI's own.
 */
export const ENTRY = 'cli.js';
export const HOME = '/tmp/tb2-qwen-code';
export const STREAM_LOG = 'qwen-code.txt';
export const SESSIONS_DIR = '/logs/agent/sessions';
export const PID_FILE = `${HOME}/pid`;
/**
 * Its rate-limit retries (model.generationConfig): by default 10, waiting 60 s, 120 s… up
 * to 5 min; here 2, after 5 s and 10 s. Each attempt still has the content generator's own
 * backoff inside it (1.5 s doubling to 30 s), which these settings do not reach: a lasting
 * 429 takes minutes before it is reported (seen: over 200 s). A 401 is not retried.
 */
export const RETRY = { maxRetries: 2, retryInitialDelayMs: 5000, retryMaxDelayMs: 10_000 };

/** Keys of the CLI's settings schema (settings.md of https://github.com/QwenLM/qwen-code). */
export function settingsOf(s: { maxTurns?: number }): Record<string, unknown> {
  return {
    // OPENAI_API_KEY + OPENAI_BASE_URL: the OpenAI-compatible auth, not Qwen OAuth.
    security: { auth: { selectedType: 'openai' }, folderTrust: { enabled: false } },
    general: { enableAutoUpdate: false },
    // No outbound calls but the model API: usage statistics and telemetry off.
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false, logPrompts: false },
    model: {
      generationConfig: { ...RETRY },
      ...(s.maxTurns ? { maxSessionTurns: s.maxTurns } : {}),
    },
  };
}

export function qwenScript(command: string, s: { model?: string; maxTurns?: number }): string {
  const args = ['-o', 'stream-json', '--yolo', '--auth-type', 'openai'];
  if (s.model) args.push('-m', s.model);
  const settings = JSON.stringify(settingsOf(s));
  return [
    `mkdir -p ${HOME}`,
    `echo $$ > ${PID_FILE}`,
    `printf '%s\\n' ${shQuote(settings)} > ${HOME}/settings.json`,
    `exec ${command} ${args.map(shQuote).join(' ')}`,
  ].join(' && ');
}

/**
 * Ends a qwen-code process that lingers after its `result` line (seen: 7 to 30 s with a
 * forked worker of its own still running). Only the CLI and its own node children (their
 * command line names the package): what its shell tool started (a server the verifier will
 * check) was reparented to the container's init and keeps running.
 */
export const STOP_SCRIPT = `p=$(cat ${PID_FILE} 2>/dev/null) || exit 0
kids=$(for d in /proc/[0-9]*; do [ "$(sed 's/.*) . //;s/ .*//' "$d/stat" 2>/dev/null)" = "$p" ] && grep -q qwen-code "$d/cmdline" 2>/dev/null && echo "\${d#/proc/}"; done)
kill -TERM "$p" $kids 2>/dev/null || exit 0
for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || exit 0; sleep 0.2; done
kill -KILL "$p" $kids 2>/dev/null; exit 0`;

/** After the run: the chat log (conversation only, no settings) into the trial's agent folder. */
export const COLLECT_SESSIONS = `mkdir -p ${SESSIONS_DIR} && for f in ${HOME}/projects/*/chats/*.jsonl; do [ -f "$f" ] && cp "$f" ${SESSIONS_DIR}/; done; chmod -R a+rX ${SESSIONS_DIR} 2>/dev/null; true`;

/** Every variable the process gets; the runner passes each by name only. */
export function qwenEnv(forwardEnv: Record<string, string>): Record<string, string> {
  return {
    ...forwardEnv,
    QWEN_HOME: HOME,
    // Headless --yolo prints a paragraph of warning on every run.
    QWEN_CODE_SUPPRESS_YOLO_WARNING: '1',
  };
}
