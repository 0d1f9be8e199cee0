// The codex command line, its config and its environment for one trial. Pure, table-tested.
// The instruction goes on stdin (`exec … -`); the key and the base URL are only ever named:
// codex ignores OPENAI_BASE_URL, so the script writes a custom model provider into
// $CODEX_HOME/config.toml inside the container with printf (a shell builtin: the URL's
// value is on no process's argv) and codex reads the key itself from its `env_key`.
import { shQuote } from '../../environment/types.js';

export const MOUNT_POINT = '/opt/tb2/codex';
/** The raw `exec --json` stream plus stderr, kept as the trial's agent/codex.txt. */
export const STREAM_LOG = 'codex.txt';
/** Codex's own session log (rollout), copied out of CODEX_HOME after the run. */
export const SESSION_LOG = 'codex-session.jsonl';
export const PID_FILE = '/tmp/.tb2-codex.pid';
/** Where the script records the CODEX_HOME it chose, for the copy after the run. */
export const HOME_FILE = '/tmp/.tb2-codex-home';
export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/**
 * Retries: a 401 must be reported within a minute, a transient 429 or 5xx still ridden
 * out. Codex's defaults (request 4, stream 5, with backoff) take longer; two of each
 * report a dead key in about two seconds (measured with 0.169.0 against the fake).
 */
export const MAX_RETRIES = 2;

/** A rust-style target triple for each platform the package is published for. */
export const TRIPLES = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' } as const;

/**
 * $CODEX_HOME/config.toml. CODEX_HOME is outside /logs/agent: codex keeps state there (its
 * sqlite files, and a shell snapshot of the environment, key included, when that feature
 * is on), none of which belongs in the trial's artifact. Telemetry, analytics and update
 * checks off: a task may have no network, and nothing but the model API should be called.
 */
export function configLines(): string[] {
  return [
    'model_provider = "tb2"',
    'check_for_update_on_startup = false',
    '',
    '[model_providers.tb2]',
    'name = "OpenAI (tb2)"',
    'base_url = "%s"', // the URL, filled in by printf from $OPENAI_BASE_URL inside the container
    'env_key = "OPENAI_API_KEY"',
    'wire_api = "responses"',
    'supports_websockets = false',
    `request_max_retries = ${MAX_RETRIES}`,
    `stream_max_retries = ${MAX_RETRIES}`,
    '',
    '[otel]',
    'metrics_exporter = "none"',
    '',
    '[analytics]',
    'enabled = false',
  ];
}

export interface InvocationSettings {
  /** The program, already quoted for sh (MountedAgent's `command`). */
  command: string;
  model?: string;
}

/** The argv after the binary. Plugins (a sync with api.github.com) and the env-dumping shell snapshot off. */
export function codexArgs(model?: string): string[] {
  const args = [
    'exec',
    '--json',
    '--dangerously-bypass-approvals-and-sandbox',
    '--skip-git-repo-check',
    '--disable',
    'plugins',
    '--disable',
    'shell_snapshot',
  ];
  if (model) args.push('-m', model.replace(/^openai\//, ''));
  args.push('-');
  return args;
}

export function codexScript(s: InvocationSettings): string {
  const fmt = configLines().join('\\n') + '\\n';
  return [
    `echo $$ > ${PID_FILE}`,
    // Out of /logs/agent, and not under /tmp (codex refuses to put its helper binaries,
    // e.g. apply_patch on PATH, under a temporary folder); /tmp only when HOME is unwritable.
    `h="\${HOME:-/root}/.tb2-codex"`,
    `if ! mkdir -p "$h" 2>/dev/null || [ ! -w "$h" ]; then h=/tmp/.tb2-codex; mkdir -p "$h" || exit 70; fi`,
    `export CODEX_HOME="$h"`,
    `printf '%s\\n' "$h" > ${HOME_FILE}`,
    `url="\${OPENAI_BASE_URL:-${DEFAULT_BASE_URL}}"`,
    `case "$url" in *'"'*|*'\\'*) echo 'tb2: OPENAI_BASE_URL holds a quote or a backslash; it cannot go into codex config.toml' >&2; exit 64;; esac`,
    `(umask 077 && printf '${fmt}' "$url" > "$h/config.toml") || exit 70`,
    `exec ${s.command} ${codexArgs(s.model).map(shQuote).join(' ')}`,
  ].join('\n');
}

/** Every variable the codex process gets; the runner passes each by name only. */
export function codexEnv(forwardEnv: Record<string, string>): Record<string, string> {
  const env = { ...forwardEnv };
  // The script chooses CODEX_HOME (never /logs/agent, where the caller's could point).
  delete env.CODEX_HOME;
  return { ...env, NO_COLOR: '1' };
}

/** Ends a codex process (after its turn ended, or at the turn limit); only that process. */
export const STOP_SCRIPT = `p=$(cat ${PID_FILE} 2>/dev/null) || exit 0
kill -TERM "$p" 2>/dev/null || exit 0
for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || exit 0; sleep 0.2; done
kill -KILL "$p" 2>/dev/null; exit 0`;

/** Copies the newest rollout out of CODEX_HOME into the trial folder, readable by the host. */
export const COPY_SESSION = `h=$(cat ${HOME_FILE} 2>/dev/null) || exit 0
f=$(ls -t "$h"/sessions/*/*/*/rollout-*.jsonl 2>/dev/null | head -n 1)
[ -n "$f" ] || exit 0
cp "$f" /logs/agent/${SESSION_LOG} && chmod a+r /logs/agent/${SESSION_LOG}`;
