// `tb2` flags -> the raw object parseConfig validates. node:util parseArgs does the
// tokenising; every flag is documented in HELP, which --help prints.
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import { parseConfig, type Config } from './config.js';

export const HELP = `tb2 - run Terminal-Bench 2 tasks in Docker

Usage:
  tb2 run <task>... [options]         run tasks, write a job folder, exit 0/1/2/3/130/143
  tb2 plan <task>... [--shard-size N] print a GitHub job matrix (JSON) of the task folders
  tb2 aggregate <dir|result.json>... [--output DIR] [--baseline FILE] [--fail-on-regressions]
                                      merge trial results of many jobs into one job result
  tb2 --help | --version

A <task> is a task folder (it holds task.toml), a folder of task folders (searched
recursively), or a quoted glob such as 'tasks/*'.

Options for run:
  --agent NAME             oracle | command | claude-code (default: oracle)
  --agent-command CMD      shell command for --agent command; the instruction is on its
                           stdin, in $TB_INSTRUCTION and in the file $TB_INSTRUCTION_FILE
  --model NAME             model for the agent (claude-code)
  --max-turns N            turn limit for the agent (claude-code)
  --claude-code-version V  Claude Code version to mount (default: 2.1.328)
  --output DIR             job folder (default: tb2-jobs/<date-time>); holds result.json and
                           one folder per trial
  --verifier-mode MODE     shared: verify in the agent's container (default);
                           isolated: verify in a fresh container from a snapshot of it
  --agent-timeout S        override task.toml [agent] timeout_sec
  --verifier-timeout S     override task.toml [verifier] timeout_sec
  --force-build            build environment/ even when task.toml names a docker_image
  --network NAME           container network: host, none, or a network name
                           (default: from task.toml allow_internet / network_mode)
  --attempts K             trials per task (default: 1)
  --concurrency N          trials at once (default: 1)
  --min-reward X           exit 1 unless every trial scores at least X
                           (default: any completed trial passes)

Options for plan:
  --shard-size N           tasks per matrix entry (default: 1)

Options for aggregate:
  --output DIR             where to write result.json and summary.md (default: tb2-aggregate)
  --baseline FILE          a baseline job result.json (or a folder holding one): the summary
                           shows regressions, fixes and reward deltas per task
  --fail-on-regressions    exit 1 when a task passing in the baseline fails now

Exit status: 0 all passed, 1 a trial failed or errored, 2 bad usage or invalid task,
3 Docker/infrastructure error, 130/143 cancelled by SIGINT/SIGTERM.
`;

const options = {
  agent: { type: 'string' },
  'agent-command': { type: 'string' },
  model: { type: 'string' },
  'max-turns': { type: 'string' },
  'claude-code-version': { type: 'string' },
  output: { type: 'string', short: 'o' },
  'verifier-mode': { type: 'string' },
  'agent-timeout': { type: 'string' },
  'verifier-timeout': { type: 'string' },
  'force-build': { type: 'boolean' },
  network: { type: 'string' },
  attempts: { type: 'string' },
  concurrency: { type: 'string' },
  'min-reward': { type: 'string' },
  'shard-size': { type: 'string' },
  baseline: { type: 'string' },
  'fail-on-regressions': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'run'; config: Config }
  | { kind: 'plan'; tasks: string[]; shardSize: number }
  | { kind: 'aggregate'; inputs: string[]; outputDir: string; baseline?: string; failOnRegressions: boolean };

/** Flags each command accepts; any other is a usage error naming it. */
const ALLOWED: Record<string, string[]> = {
  plan: ['shard-size'],
  aggregate: ['output', 'baseline', 'fail-on-regressions'],
};

const FLAG_OF: Record<string, string> = {
  tasks: '<task-dir>',
  outputDir: '--output',
  agentTimeoutSec: '--agent-timeout',
  verifierTimeoutSec: '--verifier-timeout',
};
const flagName = (key: string) => FLAG_OF[key] ?? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

export function parseCli(argv: string[], now = new Date()): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0]} (see tb2 --help)`);
  }
  const { values: v, positionals } = parsed;
  if (v.version) return { kind: 'version' };
  if (v.help || positionals.length === 0) return { kind: 'help' };
  const [command, ...rest] = positionals;
  if (!['run', 'plan', 'aggregate'].includes(command))
    throw new UsageError(`unknown command "${command}" (expected: run, plan or aggregate; see tb2 --help)`);
  const allowed = ALLOWED[command];
  const stray = allowed && Object.keys(v).find((k) => !allowed.includes(k));
  if (stray) throw new UsageError(`--${stray}: not an option of tb2 ${command} (see tb2 --help)`);
  if (command === 'plan') {
    if (rest.length === 0) throw new UsageError('<task>: expected at least one task folder, folder of tasks or glob');
    const shardSize = v['shard-size'] === undefined ? 1 : Number(v['shard-size']);
    if (!Number.isInteger(shardSize) || shardSize < 1)
      throw new UsageError(`--shard-size: expected a positive whole number (got "${v['shard-size']}")`);
    return { kind: 'plan', tasks: rest, shardSize };
  }
  if (command === 'aggregate') {
    if (rest.length === 0) throw new UsageError('<dir|result.json>: expected at least one job folder or result file');
    return {
      kind: 'aggregate',
      inputs: rest,
      outputDir: v.output ?? 'tb2-aggregate',
      baseline: v.baseline,
      failOnRegressions: Boolean(v['fail-on-regressions']),
    };
  }
  if (v['shard-size'] !== undefined || v.baseline !== undefined || v['fail-on-regressions']) {
    throw new UsageError(
      `--${v['shard-size'] !== undefined ? 'shard-size' : v.baseline !== undefined ? 'baseline' : 'fail-on-regressions'}: not an option of tb2 run (see tb2 --help)`,
    );
  }
  const config = parseConfig(
    {
      tasks: rest,
      agent: v.agent,
      agentCommand: v['agent-command'],
      model: v.model,
      maxTurns: v['max-turns'],
      claudeCodeVersion: v['claude-code-version'],
      outputDir: v.output,
      verifierMode: v['verifier-mode'],
      agentTimeoutSec: v['agent-timeout'],
      verifierTimeoutSec: v['verifier-timeout'],
      forceBuild: v['force-build'],
      network: v.network,
      attempts: v.attempts,
      concurrency: v.concurrency,
      minReward: v['min-reward'],
    },
    flagName,
    now,
  );
  return { kind: 'run', config };
}
