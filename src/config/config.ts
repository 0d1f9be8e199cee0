// One typed Config for the CLI and the action (actions/checkout's settings object): read
// once, validated once with zod, defaults written once (in settings.ts). Entries turn
// flags or inputs into a raw object; everything below receives a Config.
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { configShape, keysOf, type KeysOf } from './settings.js';

export const configSchema = z.object(configShape()).superRefine((c, ctx) => {
  if (c.agent === 'command' && !c.agentCommand) {
    ctx.addIssue({ code: 'custom', path: ['agentCommand'], message: 'required when agent is "command"' });
  }
  // opencode names a model by its provider: a bare name fails inside opencode with an opaque error.
  if (c.agent === 'opencode' && c.model !== undefined && !/^[^/\s]+\/\S+$/.test(c.model)) {
    const message = `opencode takes provider/model (e.g. openai/gpt-5, anthropic/claude-sonnet-4-5), got "${c.model}"`;
    ctx.addIssue({ code: 'custom', path: ['model'], message });
  }
});

export type Config = z.output<typeof configSchema>;
/** The settings the agent receives (agents/types.ts adds what the entry forwards). */
export type AgentConfig = Pick<Config, KeysOf<'agent'>>;
/** The settings each trial's runner receives. */
export type TrialConfig = Pick<Config, KeysOf<'trial'>>;

/** The part of Config one group of the runner receives, keyed as in Config. */
export function configGroup<G extends 'agent' | 'trial'>(c: Config, group: G): Pick<Config, KeysOf<G>> {
  return Object.fromEntries(keysOf(group).map((k) => [k, c[k]])) as Pick<Config, KeysOf<G>>;
}

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
