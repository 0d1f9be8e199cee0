// The opencode command line, its environment and the build for a platform. Pure, table-tested.
// opencode (https://opencode.ai/docs/cli/) runs non-interactively as `opencode run --format
// json`, the instruction on stdin, the model as `provider/model`. Keys and base URLs are only
// ever named: its built-in openai provider reads OPENAI_API_KEY and OPENAI_BASE_URL (with
// /v1), the anthropic one ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL, which the script adjusts
// to opencode's form (with /v1) inside the container, on no argv. No config file holds a
// secret: the switches below are variables, the permissions a flag.
import { shQuote } from '../../environment/types.js';
import { UnsupportedPlatformError, type Platform } from '../npm/platform.js';
import type { Build } from '../npm/mounted.js';

export const AGENT = 'opencode';
/** Pinned: checked on this machine (../shared/AGENTS.md); --agent-version overrides. */
export const DEFAULT_VERSION = '1.18.34';
export const ENTRY = 'bin/opencode';
/** The raw `run --format json` stream plus stderr (its ERROR-level log lines), kept as agent/opencode.txt. */
export const STREAM_LOG = 'opencode.txt';
export const PID_FILE = '/tmp/.tb2-opencode.pid';
/** The session's title: given, so opencode makes no extra "title" request to a small model. */
export const TITLE = 'tb2';

/**
 * One package per platform, `opencode-linux-<arch>[-baseline][-musl]` (the npm `opencode-ai`
 * launcher's own choice: `-baseline` for x64 CPUs without AVX2). Versions are published
 * unevenly across them (1.18.34 exists for linux-x64 only): --agent-version picks another.
 */
export function buildFor(p: Platform, version: string): Build {
  if (p.arch !== 'x64' && p.arch !== 'arm64')
    throw new UnsupportedPlatformError(`opencode: no build for the architecture ${String(p.arch)}`);
  const suffix = `${p.arch === 'x64' && p.avx2 === false ? '-baseline' : ''}${p.libc === 'musl' ? '-musl' : ''}`;
  const tag = `linux-${p.arch}${suffix}`;
  return { pkg: `opencode-${tag}`, version, paths: [ENTRY], entry: ENTRY, tag };
}

/** `openai/gpt-5` -> `openai`; undefined without a model (opencode picks its default). */
export function providerOf(model: string | undefined): string | undefined {
  return model?.includes('/') ? model.slice(0, model.indexOf('/')) : undefined;
}

/**
 * The variables forwarded for a provider: its own (OPENAI_*, ANTHROPIC_*, GOOGLE_* …),
 * and opencode's (OPENCODE_*). Without a model opencode chooses among the providers it
 * finds keys for, so both it is usually run with.
 */
export function prefixesFor(provider: string | undefined): string[] {
  const own: Record<string, string[]> = {
    openai: ['OPENAI_'],
    anthropic: ['ANTHROPIC_'],
    google: ['GOOGLE_', 'GEMINI_'],
  };
  if (!provider) return ['OPENAI_', 'ANTHROPIC_', 'OPENCODE_'];
  return [...(own[provider] ?? [`${provider.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_`]), 'OPENCODE_'];
}

/**
 * The argv after the binary. `--auto` approves every permission not explicitly denied (the
 * task container is the sandbox); `--pure` loads no external plugins; `--thinking` puts
 * reasoning into the stream; `--print-logs --log-level ERROR` puts only its errors on
 * stderr (an unknown model's real cause, behind the stream's opaque "UnknownError").
 */
export function opencodeArgs(model?: string): string[] {
  const args = ['run', '--format', 'json', '--auto', '--pure', '--thinking', '--title', TITLE];
  args.push('--print-logs', '--log-level', 'ERROR');
  if (model) args.push('-m', model);
  return args;
}

/**
 * opencode installs `@opencode-ai/plugin` from the npm registry into its config folder in
 * the background (1.18.34), unless that folder's package.json and package-lock.json already
 * list it beside a node_modules folder: written first, so that call is never made.
 */
const PLUGIN_DEP = '{"dependencies":{"@opencode-ai/plugin":"*"}}';
const PLUGIN_LOCK = '{"lockfileVersion":3,"packages":{"":{"dependencies":{"@opencode-ai/plugin":"*"}}}}';

export function opencodeScript(command: string, model?: string): string {
  return [
    `echo $$ > ${PID_FILE}`,
    // Its state (sqlite session store, logs, config) outside /logs/agent, fresh each trial;
    // under /tmp only when HOME is not writable.
    `h="\${HOME:-/root}/.tb2-opencode"`,
    `if ! mkdir -p "$h" 2>/dev/null || [ ! -w "$h" ]; then h=/tmp/.tb2-opencode; mkdir -p "$h" || exit 70; fi`,
    `export XDG_CONFIG_HOME="$h/config" XDG_DATA_HOME="$h/data" XDG_STATE_HOME="$h/state" XDG_CACHE_HOME="$h/cache"`,
    `mkdir -p "$h/config/opencode/node_modules" || exit 70`,
    `printf '%s\\n' ${shQuote(PLUGIN_DEP)} > "$h/config/opencode/package.json"`,
    `printf '%s\\n' ${shQuote(PLUGIN_LOCK)} > "$h/config/opencode/package-lock.json"`,
    // ANTHROPIC_BASE_URL is a host without /v1 (Claude Code's form); opencode's SDK appends paths to /v1.
    `if [ -n "\${ANTHROPIC_BASE_URL:-}" ]; then u="\${ANTHROPIC_BASE_URL%/}"; case "$u" in */v1) ;; *) u="$u/v1";; esac; export ANTHROPIC_BASE_URL="$u"; fi`,
    `exec ${command} ${opencodeArgs(model).map(shQuote).join(' ')}`,
  ].join('\n');
}

/**
 * Every variable the opencode process gets (each passed by name only): the forwarded ones
 * and the switches that keep it from calling anything but the model API — the update
 * check, the models.dev catalogue (its built-in snapshot is used), default plugins, LSP
 * server downloads, sharing (../shared/AGENTS.md "Outbound calls").
 */
export function opencodeEnv(forwardEnv: Record<string, string>): Record<string, string> {
  const env = { ...forwardEnv };
  // The script chooses where opencode keeps its state, never a caller's folder.
  for (const k of ['OPENCODE_CONFIG_DIR', 'OPENCODE_DB']) delete env[k];
  return {
    ...env,
    OPENCODE_DISABLE_AUTOUPDATE: '1',
    OPENCODE_DISABLE_MODELS_FETCH: '1',
    OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
    OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
    OPENCODE_DISABLE_SHARE: '1',
    NO_COLOR: '1',
  };
}

/** Ends the opencode process (at the turn limit, or lingering after its last step); only that process. */
export const STOP_SCRIPT = `p=$(cat ${PID_FILE} 2>/dev/null) || exit 0
kill -TERM "$p" 2>/dev/null || exit 0
for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || exit 0; sleep 0.2; done
kill -KILL "$p" 2>/dev/null; exit 0`;
