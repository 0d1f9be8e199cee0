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
