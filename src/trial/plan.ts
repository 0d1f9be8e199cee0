// Config -> JobPlan: the one place where user settings become runner settings. Pure.
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/config.js';
import { MAX_LOGGED_OUTPUT_BYTES } from '../agents/run-logged.js';
import type { JobPlan } from './job.js';

/** Generous enough for compilers and servers, small enough to stop a fork bomb. */
export const PIDS_LIMIT = 4096;

export function newRunId(): string {
  return `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

export function jobPlanFrom(c: Config, runId: string, forwardEnv: Record<string, string> = {}): JobPlan {
  return {
    taskDirs: c.tasks,
    attempts: c.attempts,
    concurrency: c.concurrency,
    outputDir: c.outputDir,
    runId,
    agent: {
      agent: c.agent,
      agentCommand: c.agentCommand,
      model: c.model,
      maxTurns: c.maxTurns,
      claudeCodeVersion: c.claudeCodeVersion,
      forwardEnv,
    },
    options: {
      verifierMode: c.verifierMode,
      agentTimeoutSec: c.agentTimeoutSec,
      verifierTimeoutSec: c.verifierTimeoutSec,
      forceBuild: c.forceBuild,
      network: c.network,
      pidsLimit: PIDS_LIMIT,
      maxLoggedBytes: MAX_LOGGED_OUTPUT_BYTES,
    },
  };
}

/**
 * The caller's ANTHROPIC_* and CLAUDE_CODE_* variables, forwarded to the agent by name
 * (`docker exec -e NAME`), never by value on a command line.
 */
export function forwardedEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && /^(ANTHROPIC_|CLAUDE_CODE_)/.test(k)) out[k] = v;
  return out;
}
