// `tb2` flags -> the raw object parseConfig validates. node:util parseArgs does the
// tokenising; every flag is documented in HELP, which --help prints.
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import { parseConfig, type Config } from './config.js';
import { alphaSchema, GATE_SETTINGS } from './gate-settings.js';
import { flagName, SETTING_KEYS, SETTINGS, type Setting } from './settings.js';

const HEAD = `tb2 - run Terminal-Bench 2 tasks in Docker

Usage:
  tb2 run <task>... [options]         run tasks, write a job folder, exit 0/1/2/3/130/143
  tb2 plan <task>... [options]        print a GitHub job matrix (JSON) of the task folders,
                                      balanced by expected duration
  tb2 aggregate <dir|result.json>... [--output DIR] [--baseline PATH] [--fail-on-regressions]
                                      [--regression-alpha A]
                                      merge trial results of many jobs into one job result
  tb2 report <dir> [--baseline PATH] [--regression-alpha A]
                                      (re)write <dir>/report.html, one self-contained page,
                                      for a job folder (ours or Harbor's)
  tb2 --help | --version

A <task> is a task folder (it holds task.toml), a folder of task folders (searched
recursively), or a quoted glob such as 'tasks/*'.
`;

const TAIL = `Exit status: 0 all passed, 1 a trial failed or errored, 2 bad usage or invalid task,
3 Docker/infrastructure error, 130/143 cancelled by SIGINT/SIGTERM.
`;

/** The help of the flags of one command: `  --flag ARG   text`, continued lines aligned. */
function optionLines(flags: Array<{ flag: string; arg?: string; help: readonly string[] }>): string {
  const col = 27;
  return flags
    .map(({ flag, arg, help }) => {
      const left = `  --${flag}${arg ? ` ${arg}` : ''}`;
      const [first = '', ...more] = help;
      return [`${left.padEnd(col - 2)}  ${first}`, ...more.map((l) => `${' '.repeat(col)}${l}`)].join('\n');
    })
    .join('\n');
}

const RUN_FLAGS = SETTING_KEYS.flatMap((k) => {
  const s: Setting = SETTINGS[k];
  return s.flag === null ? [] : [{ key: k, ...s, flag: s.flag }];
});

/** Flags of the other commands (plan, aggregate); `output` is shared with run. */
const OTHER_FLAGS = [
  { flag: 'shard-size', arg: 'N', commands: ['plan'], help: ['the most tasks per matrix entry (default: 1)'] },
  {
    flag: 'attempts',
    arg: 'K',
    commands: ['plan'],
    help: ["trials per task; a task's attempts may be split over", 'several entries (default: 1)'],
  },
  {
    flag: 'max-jobs',
    arg: 'M',
    commands: ['plan'],
    help: ['the most entries; shards grow to fit (default: 256,', "GitHub's matrix limit)"],
  },
  {
    flag: 'max-parallel',
    arg: 'P',
    commands: ['plan'],
    help: [
      'jobs run at once (the matrix max-parallel): entries are',
      'packed for P slots, longest first (default: one slot per',
      'shard of --shard-size tasks)',
    ],
  },
  {
    flag: 'baseline',
    arg: 'PATH',
    commands: ['plan'],
    help: [
      'an earlier job (as for aggregate): one attempt of a task is',
      'expected to last its median trial duration there (default:',
      'its [agent] timeout_sec)',
    ],
  },
  {
    flag: 'output',
    arg: 'DIR',
    commands: ['aggregate'],
    help: ['where to write result.json, summary.md and report.html (default: tb2-aggregate)'],
  },
  {
    flag: 'baseline',
    arg: 'PATH',
    commands: ['aggregate', 'report'],
    help: [
      "a baseline job: a result.json or job folder (ours or Harbor's), or a",
      'folder of trial folders: the summary shows regressions, fixes and',
      'reward deltas per task',
    ],
  },
  {
    flag: 'fail-on-regressions',
    boolean: true,
    commands: ['aggregate'],
    help: GATE_SETTINGS.failOnRegressions.help,
  },
  {
    flag: 'regression-alpha',
    arg: 'A',
    commands: ['aggregate', 'report'],
    help: GATE_SETTINGS.regressionAlpha.help,
  },
] as const;
/** The flags of `tb2 plan` or `tb2 aggregate`. */
const flagsOf = (c: 'plan' | 'aggregate' | 'report') =>
  OTHER_FLAGS.filter((f) => (f.commands as readonly string[]).includes(c));

export const HELP = [
  HEAD,
  `Options for run:\n${optionLines(RUN_FLAGS)}\n`,
  ...(['plan', 'aggregate', 'report'] as const).map((c) => `Options for ${c}:\n${optionLines(flagsOf(c))}\n`),
  TAIL,
].join('\n');

type FlagSpec = { type: 'string' | 'boolean'; short?: string };
const options: Record<string, FlagSpec> = {
  ...Object.fromEntries(
    [...OTHER_FLAGS, ...RUN_FLAGS].map((f) => [
      f.flag,
      {
        type: 'boolean' in f && f.boolean ? 'boolean' : 'string',
        ...('short' in f && f.short ? { short: f.short } : {}),
      },
    ]),
  ),
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
};

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'run'; config: Config }
  | {
      kind: 'plan';
      tasks: string[];
      shardSize?: number;
      attempts?: number;
      maxJobs?: number;
      maxParallel?: number;
      baseline?: string;
    }
  | {
      kind: 'aggregate';
      inputs: string[];
      outputDir: string;
      baseline?: string;
      failOnRegressions: boolean;
      regressionAlpha: number;
    }
  | { kind: 'report'; dir: string; baseline?: string; regressionAlpha: number };

/** Flags each command accepts; any other is a usage error naming it. */
const ALLOWED: Record<'run' | 'plan' | 'aggregate' | 'report', string[]> = {
  run: RUN_FLAGS.map((f) => f.flag),
  plan: flagsOf('plan').map((f) => f.flag),
  aggregate: flagsOf('aggregate').map((f) => f.flag),
  report: flagsOf('report').map((f) => f.flag),
};
const COMMANDS = Object.keys(ALLOWED) as Array<keyof typeof ALLOWED>;

export function parseCli(argv: string[], now = new Date()): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0]} (see tb2 --help)`);
  }
  const { values: v, positionals } = parsed;
  const str = (x: string | boolean | undefined) => (typeof x === 'string' ? x : undefined);
  if (v.version) return { kind: 'version' };
  if (v.help || positionals.length === 0) return { kind: 'help' };
  const [name, ...rest] = positionals;
  const command = COMMANDS.find((c) => c === name);
  if (!command)
    throw new UsageError(`unknown command "${name}" (expected: run, plan, aggregate or report; see tb2 --help)`);
  const allowed = ALLOWED[command];
  const stray = Object.keys(v).find((k) => !allowed.includes(k));
  if (stray) throw new UsageError(`--${stray}: not an option of tb2 ${command} (see tb2 --help)`);
  if (command === 'plan') {
    if (rest.length === 0) throw new UsageError('<task>: expected at least one task folder, folder of tasks or glob');
    // Unset numbers stay undefined: the planner holds the defaults (task/shards.ts).
    const count = (flag: string) => {
      const text = str(v[flag]);
      if (text === undefined) return undefined;
      const n = Number(text);
      if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < 1)
        throw new UsageError(`--${flag}: expected a positive whole number (got "${text}")`);
      return n;
    };
    return {
      kind: 'plan',
      tasks: rest,
      shardSize: count('shard-size'),
      attempts: count('attempts'),
      maxJobs: count('max-jobs'),
      maxParallel: count('max-parallel'),
      baseline: str(v.baseline),
    };
  }
  if (command === 'report') {
    if (rest.length !== 1) throw new UsageError('<dir>: expected exactly one job folder (see tb2 --help)');
    return {
      kind: 'report',
      dir: rest[0],
      baseline: str(v.baseline),
      regressionAlpha: regressionAlpha(str(v['regression-alpha'])),
    };
  }
  if (command === 'aggregate') {
    if (rest.length === 0) throw new UsageError('<dir|result.json>: expected at least one job folder or result file');
    return {
      kind: 'aggregate',
      inputs: rest,
      outputDir: str(v.output) ?? 'tb2-aggregate',
      baseline: str(v.baseline),
      failOnRegressions: Boolean(v['fail-on-regressions']),
      regressionAlpha: regressionAlpha(str(v['regression-alpha'])),
    };
  }
  const raw = Object.fromEntries(RUN_FLAGS.map((f) => [f.key, v[f.flag]]));
  const config = parseConfig({ ...raw, tasks: rest }, flagName, now);
  return { kind: 'run', config };
}

function regressionAlpha(text: string | undefined): number {
  const res = alphaSchema.safeParse(text);
  if (res.success) return res.data;
  throw new UsageError(`--regression-alpha: ${res.error.issues[0].message} (got ${JSON.stringify(text)})`);
}
