// The one table of `tb2 run` / action settings (actions/checkout's input-helper, written
// once): each row names its Config key, its CLI flag, its action input, its help text, its
// zod schema (defaults live there and nowhere else) and the part of the runner it feeds.
// HELP, the parseArgs options, both raw objects, ACTION_INPUTS, the Config schema, the
// key-to-name maps and jobPlanFrom are all derived from it.
import { z } from 'zod';
import { AGENT_NAMES } from './agent-names.js';
import { GATE_SETTINGS } from './gate-settings.js';
import { bool, num, numberLike, optional, posInt, posNum } from './schemas.js';

export const DEFAULT_CLAUDE_CODE_VERSION = '2.1.328';

/** Which part of the runner a setting feeds (jobPlanFrom splits Config by it). */
export type SettingGroup = 'job' | 'agent' | 'trial' | 'gate';

export interface Setting {
  /** `--flag` of `tb2 run`; null for the positional task arguments. */
  flag: string | null;
  /** Input name in action.yml. */
  input: string;
  /** A flag without a value (`--force-build`). */
  boolean?: boolean;
  /** The action input holds one value per line. */
  lines?: boolean;
  short?: string;
  /** Help: the value's placeholder and the lines of text beside it. */
  arg?: string;
  help: string[];
  group: SettingGroup;
  schema: z.ZodType;
}

export const SETTINGS = {
  tasks: {
    flag: null,
    input: 'task',
    lines: true,
    help: [],
    group: 'job',
    schema: z.array(z.string().min(1)).min(1, 'expected at least one task folder'),
  },
  agent: {
    flag: 'agent',
    input: 'agent',
    arg: 'NAME',
    help: [`${AGENT_NAMES.join(' | ')} (default: oracle)`],
    group: 'agent',
    schema: z.preprocess(
      (v) => (v === '' || v === undefined ? 'oracle' : v),
      z.enum(AGENT_NAMES, `expected one of: ${AGENT_NAMES.join(', ')}`),
    ),
  },
  agentCommand: {
    flag: 'agent-command',
    input: 'agent-command',
    arg: 'CMD',
    help: [
      'shell command for --agent command; the instruction is on its',
      'stdin, in $TB_INSTRUCTION and in the file $TB_INSTRUCTION_FILE',
    ],
    group: 'agent',
    schema: optional(z.string()),
  },
  model: {
    flag: 'model',
    input: 'model',
    arg: 'NAME',
    help: ['model for the agent, as its CLI takes it (codex gpt-5,', 'opencode openai/gpt-5, …)'],
    group: 'agent',
    schema: optional(z.string()),
  },
  maxTurns: {
    flag: 'max-turns',
    input: 'max-turns',
    arg: 'N',
    help: ['turn limit for the agent (claude-code, codex, opencode, gemini-cli)'],
    group: 'agent',
    schema: optional(posInt('a positive whole number')),
  },
  claudeCodeVersion: {
    flag: 'claude-code-version',
    input: 'claude-code-version',
    arg: 'V',
    help: [`Claude Code version to mount (default: ${DEFAULT_CLAUDE_CODE_VERSION})`],
    group: 'agent',
    schema: optional(z.string().regex(/^\d+\.\d+\.\d+$/, 'expected a version such as 2.1.328')).transform(
      (v) => v ?? DEFAULT_CLAUDE_CODE_VERSION,
    ),
  },
  agentVersion: {
    flag: 'agent-version',
    input: 'agent-version',
    arg: 'V',
    help: [
      'version of the agent to mount, any npm agent (default: each',
      "agent's pinned version; --claude-code-version is an alias)",
    ],
    group: 'agent',
    schema: optional(z.string().regex(/^(\d+\.\d+\.\d+\S*|latest)$/, 'expected a version such as 1.2.3, or latest')),
  },
  agentEnv: {
    flag: 'agent-env',
    input: 'agent-env',
    arg: 'NAMES',
    help: ['more variables to forward to the agent by name (comma or', "newline separated), beside its provider's own"],
    group: 'agent',
    schema: optional(z.string())
      .transform((v) => (v ?? '').split(/[\s,]+/).filter(Boolean))
      .pipe(z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected variable names such as MY_TOKEN'))),
  },
  outputDir: {
    flag: 'output',
    input: 'output-dir',
    short: 'o',
    arg: 'DIR',
    help: ['job folder (default: tb2-jobs/<date-time>); holds result.json and', 'one folder per trial'],
    group: 'job',
    // The date-time default needs a clock: parseConfig fills it in.
    schema: z.string().min(1),
  },
  verifierMode: {
    flag: 'verifier-mode',
    input: 'verifier-mode',
    arg: 'MODE',
    help: [
      "shared: verify in the agent's container (default);",
      'isolated: verify in a fresh container from a snapshot of it',
    ],
    group: 'trial',
    schema: optional(z.enum(['shared', 'isolated'], 'expected "shared" or "isolated"')).transform((m) => m ?? 'shared'),
  },
  agentTimeoutSec: {
    flag: 'agent-timeout',
    input: 'agent-timeout',
    arg: 'S',
    help: ['override task.toml [agent] timeout_sec'],
    group: 'trial',
    schema: optional(posNum('a positive number of seconds')),
  },
  verifierTimeoutSec: {
    flag: 'verifier-timeout',
    input: 'verifier-timeout',
    arg: 'S',
    help: ['override task.toml [verifier] timeout_sec'],
    group: 'trial',
    schema: optional(posNum('a positive number of seconds')),
  },
  forceBuild: {
    flag: 'force-build',
    input: 'force-build',
    boolean: true,
    help: ['build environment/ even when task.toml names a docker_image'],
    group: 'trial',
    schema: optional(bool).transform((b) => b ?? false),
  },
  network: {
    flag: 'network',
    input: 'network',
    arg: 'NAME',
    help: [
      'container network: host, none, or a network name',
      '(default: from task.toml allow_internet / network_mode)',
    ],
    group: 'trial',
    schema: optional(
      z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'expected a Docker network name such as "host" or "none"'),
    ),
  },
  attempts: {
    flag: 'attempts',
    input: 'attempts',
    arg: 'K',
    help: ['trials per task (default: 1)'],
    group: 'job',
    schema: optional(posInt('a positive whole number')).transform((n) => n ?? 1),
  },
  concurrency: {
    flag: 'concurrency',
    input: 'concurrency',
    arg: 'N',
    help: ['trials at once (default: 1)'],
    group: 'job',
    schema: optional(posInt('a positive whole number')).transform((n) => n ?? 1),
  },
  resume: {
    flag: 'resume',
    input: 'resume',
    boolean: true,
    help: [
      'keep the finished trials of --output DIR and run what is missing',
      '(refused when the tasks, agent or model differ from DIR/config.json)',
    ],
    group: 'job',
    schema: optional(bool).transform((b) => b ?? false),
  },
  maxRetries: {
    flag: 'max-retries',
    input: 'max-retries',
    arg: 'N',
    help: [
      'run a trial again, up to N times, when it errored for a',
      'transient reason (rate limit, Docker) (default: 0)',
    ],
    group: 'job',
    schema: optional(
      numberLike(
        z
          .number({ error: 'expected a whole number, 0 or more' })
          .int('expected a whole number, 0 or more')
          .min(0, 'expected a whole number, 0 or more'),
      ),
    ).transform((n) => n ?? 0),
  },
  minReward: {
    flag: 'min-reward',
    input: 'min-reward',
    arg: 'X',
    help: ['exit 1 unless every trial scores at least X', '(default: any completed trial passes)'],
    group: 'gate',
    schema: optional(num('a number')),
  },
  ...GATE_SETTINGS,
} as const satisfies Record<string, Setting>;

export type SettingKey = keyof typeof SETTINGS;
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** The Config keys a group of the runner receives. */
export type KeysOf<G extends SettingGroup> = {
  [K in SettingKey]: (typeof SETTINGS)[K]['group'] extends G ? K : never;
}[SettingKey];

export function keysOf<G extends SettingGroup>(group: G): KeysOf<G>[] {
  return SETTING_KEYS.filter((k) => SETTINGS[k].group === group) as KeysOf<G>[];
}

/** The zod shape of Config, one entry per row. */
export function configShape(): { [K in SettingKey]: (typeof SETTINGS)[K]['schema'] } {
  return Object.fromEntries(SETTING_KEYS.map((k) => [k, SETTINGS[k].schema])) as {
    [K in SettingKey]: (typeof SETTINGS)[K]['schema'];
  };
}

/** How the CLI spells a key in an error: `--agent-timeout`, `<task>`. */
export const flagName = (key: string): string => {
  const s = (SETTINGS as Record<string, Setting>)[key];
  return s ? (s.flag === null ? '<task>' : `--${s.flag}`) : key;
};
/** How the action spells a key in an error: `agent-timeout`, `task`. */
export const inputName = (key: string): string => (SETTINGS as Record<string, Setting>)[key]?.input ?? key;
