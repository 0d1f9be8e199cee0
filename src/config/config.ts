// One typed Config for the CLI and the action (actions/checkout's settings object): read
// once, validated once with zod, defaults written once here. Entries turn flags or inputs
// into a raw object; everything below receives a Config.
import { z } from 'zod';
import { AGENT_NAMES } from './agent-names.js';
import { UsageError } from '../errors.js';

export const DEFAULT_CLAUDE_CODE_VERSION = '2.1.328';

/** A number given as a number or as text (inputs and flags are text). */
const numberLike = (inner: z.ZodNumber) =>
  z.preprocess((v) => (typeof v === 'string' && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/.test(v) ? Number(v) : v), inner);
const num = (what: string) => numberLike(z.number({ error: `expected ${what}` }));
const posInt = (what: string) =>
  numberLike(
    z
      .number({ error: `expected ${what}` })
      .int(`expected ${what}`)
      .positive(`expected ${what}`),
  );
const posNum = (what: string) => numberLike(z.number({ error: `expected ${what}` }).positive(`expected ${what}`));
const bool = z.union([
  z.boolean(),
  z.enum(['true', 'false', 'True', 'False', 'TRUE', 'FALSE']).transform((s) => s.toLowerCase() === 'true'),
]);
const optional = <T extends z.ZodType>(t: T) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), t.optional());

export const configSchema = z
  .object({
    tasks: z.array(z.string().min(1)).min(1, 'expected at least one task folder'),
    agent: z
      .preprocess((v) => (v === '' || v === undefined ? 'oracle' : v), z.string())
      .refine((a) => (AGENT_NAMES as readonly string[]).includes(a), {
        message: `expected one of: ${AGENT_NAMES.join(', ')}`,
      }),
    agentCommand: optional(z.string()),
    model: optional(z.string()),
    maxTurns: optional(posInt('a positive whole number')),
    outputDir: z.string().min(1),
    verifierMode: z.enum(['shared', 'isolated'], 'expected "shared" or "isolated"').default('shared'),
    agentTimeoutSec: optional(posNum('a positive number of seconds')),
    verifierTimeoutSec: optional(posNum('a positive number of seconds')),
    forceBuild: optional(bool).transform((b) => b ?? false),
    minReward: optional(num('a number')),
    network: optional(
      z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'expected a Docker network name such as "host" or "none"'),
    ),
    attempts: optional(posInt('a positive whole number')).transform((n) => n ?? 1),
    concurrency: optional(posInt('a positive whole number')).transform((n) => n ?? 1),
    claudeCodeVersion: optional(z.string().regex(/^\d+\.\d+\.\d+$/, 'expected a version such as 2.1.328')).transform(
      (v) => v ?? DEFAULT_CLAUDE_CODE_VERSION,
    ),
  })
  .superRefine((c, ctx) => {
    if (c.agent === 'command' && !c.agentCommand)
      ctx.addIssue({ code: 'custom', path: ['agentCommand'], message: 'required when agent is "command"' });
  });

export type Config = z.output<typeof configSchema>;

/**
 * Validate a raw config; the error names the input the way its caller spells it
 * (`--agent-timeout` for the CLI, `agent-timeout` for the action).
 */
export function parseConfig(raw: Record<string, unknown>, nameOf: (key: string) => string, now = new Date()): Config {
  const res = configSchema.safeParse({ ...raw, outputDir: raw.outputDir || defaultOutputDir(now) });
  if (res.success) return res.data;
  const issue = res.error.issues[0];
  const key = String(issue.path[0] ?? '');
  const value = key ? raw[key] : undefined;
  const got = value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
  throw new UsageError(`${nameOf(key)}: ${issue.message.replace(/^Invalid input: /, '')}${got}`);
}

/** A fresh job folder per run: tb2-jobs/<date-time>. */
export function defaultOutputDir(now: Date): string {
  return `tb2-jobs/${now.toISOString().replace(/[:T]/g, '-').replace(/\..*$/, '')}`;
}

/** Config key -> kebab-case input name, e.g. agentTimeoutSec -> agent-timeout. */
export function kebabName(key: string): string {
  const special: Record<string, string> = {
    tasks: 'task',
    outputDir: 'output-dir',
    agentTimeoutSec: 'agent-timeout',
    verifierTimeoutSec: 'verifier-timeout',
  };
  return special[key] ?? key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
