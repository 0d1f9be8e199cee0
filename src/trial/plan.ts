// Config -> JobPlan: the one place where user settings become runner settings. Pure.
import { randomBytes } from 'node:crypto';
import { configGroup, type Config } from '../config/config.js';
import type { JobPlan } from './job.js';

/** Generous enough for compilers and servers, small enough to stop a fork bomb. */
export const PIDS_LIMIT = 4096;
/** What the live log shows of one trial's raw output, and what its raw log files keep. */
export const MAX_LOGGED_OUTPUT_BYTES = 64 * 1024 * 1024;

export function newRunId(): string {
  return `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

export function jobPlanFrom(
  c: Config,
  runId: string,
  forwardEnv: Record<string, string> = {},
  callerEnv: NodeJS.ProcessEnv = {},
): JobPlan {
  return {
    callerEnv,
    taskDirs: c.tasks,
    attempts: c.attempts,
    concurrency: c.concurrency,
    outputDir: c.outputDir,
    runId,
    resume: c.resume,
    maxRetries: c.maxRetries,
    agent: { ...configGroup(c, 'agent'), forwardEnv },
    options: { ...configGroup(c, 'trial'), pidsLimit: PIDS_LIMIT, maxLoggedBytes: MAX_LOGGED_OUTPUT_BYTES },
  };
}

/** The providers' variable prefixes forwarded by name: each agent then takes its own (agents/env.ts). */
export const PROVIDER_PREFIXES = [
  'ANTHROPIC_',
  'CLAUDE_CODE_',
  'OPENAI_',
  'CODEX_',
  'GEMINI_',
  'GOOGLE_',
  'OPENCODE_',
  'QWEN_',
];

/**
 * The caller's provider variables (ANTHROPIC_*, OPENAI_*, GEMINI_*…) and the names given in
 * --agent-env, forwarded to the agent by name (`docker exec -e NAME`), never by value on a
 * command line.
 */
export function forwardedEnv(env: NodeJS.ProcessEnv, names: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env))
    if (v !== undefined && (PROVIDER_PREFIXES.some((p) => k.startsWith(p)) || names.includes(k))) out[k] = v;
  return out;
}
