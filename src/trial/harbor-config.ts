// Harbor's names and config files for what we run, so a job folder of ours is a Harbor job
// folder (../shared/HARBOR.md; Harbor's models: src/harbor/models/trial/config.py TrialConfig,
// src/harbor/models/job/config.py JobConfig, src/harbor/models/trial/result.py, in
// https://github.com/laude-institute/harbor). Every field Harbor's model has a default for is
// written with that default, so Harbor loads these files as its own. Pure.
import { randomBytes, randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { slugOf } from '../task/load.js';
import type { TrialIdentity } from '../result/reduce.js';

/** shortuuid's alphabet (no 0/O, 1/I/l), which Harbor's trial names draw from. */
const SHORTUUID_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Harbor's trial name: the task name's last part (first 32 characters, trailing _- stripped), `__`, 7 random characters. */
export function trialNameFor(taskName: string): string {
  const stem =
    slugOf(taskName)
      .slice(0, 32)
      .replace(/[_-]+$/, '') || 'task';
  const bytes = randomBytes(7);
  let id = '';
  for (const b of bytes) id += SHORTUUID_ALPHABET[b % SHORTUUID_ALPHABET.length];
  return `${stem}__${id}`;
}

export type { TrialIdentity };

export interface RunShape {
  /** The job folder (Harbor's trials_dir and job folder). */
  jobDir: string;
  jobId: string;
  agent: string;
  model?: string;
  /** --agent-timeout / --verifier-timeout: Harbor's override_timeout_sec, null without the flags. */
  agentTimeoutSec?: number;
  verifierTimeoutSec?: number;
  forceBuild: boolean;
  /** Our isolated verifier is Harbor's "separate" environment mode (unset: the task's; runner.ts settles it). */
  verifierMode?: 'shared' | 'isolated';
}

function agentConfig(r: RunShape): Record<string, unknown> {
  return {
    name: r.agent,
    import_path: null,
    model_name: r.model ?? null,
    override_timeout_sec: r.agentTimeoutSec ?? null,
    override_setup_timeout_sec: null,
    max_timeout_sec: null,
    kwargs: {},
  };
}

function environmentConfig(r: RunShape): Record<string, unknown> {
  return {
    type: 'docker',
    import_path: null,
    force_build: r.forceBuild,
    delete: true,
    override_cpus: null,
    override_memory_mb: null,
    override_storage_mb: null,
    override_gpus: null,
    kwargs: {},
  };
}

function verifierConfig(r: RunShape): Record<string, unknown> {
  return { override_timeout_sec: r.verifierTimeoutSec ?? null, max_timeout_sec: null, disable: false };
}

function taskConfig(taskDir: string): Record<string, unknown> {
  return { path: taskDir, git_url: null, git_commit_id: null, overwrite: false, download_dir: null, source: null };
}

/** Harbor's TrialConfig: the trial's config.json, and `config` inside its result.json. */
export function trialConfigOf(r: RunShape, taskDir: string, trialName: string): Record<string, unknown> {
  return {
    task: taskConfig(taskDir),
    trial_name: trialName,
    trials_dir: r.jobDir,
    timeout_multiplier: 1.0,
    agent: agentConfig(r),
    environment: environmentConfig(r),
    verifier: verifierConfig(r),
    artifacts: [],
    job_id: r.jobId,
  };
}

export function trialIdentityOf(
  r: RunShape,
  t: { taskDir: string; trialName: string; trialDir: string; checksum: string },
): TrialIdentity {
  return {
    id: randomUUID(),
    trial_uri: pathToFileURL(t.trialDir).href,
    task_id: { path: t.taskDir },
    source: null,
    task_checksum: t.checksum,
    config: trialConfigOf(r, t.taskDir, t.trialName),
    verifier_environment_mode: r.verifierMode === 'isolated' ? 'separate' : 'shared',
  };
}

/** Harbor's JobConfig: the job folder's config.json, which `harbor jobs resume` and the leaderboard read. */
export function jobConfigOf(
  r: RunShape,
  job: { attempts: number; concurrency: number; taskDirs: string[]; maxRetries: number },
): Record<string, unknown> {
  return {
    job_name: path.basename(r.jobDir),
    jobs_dir: path.dirname(r.jobDir),
    n_attempts: job.attempts,
    timeout_multiplier: 1.0,
    debug: false,
    n_concurrent_trials: job.concurrency,
    quiet: false,
    retry: {
      max_retries: job.maxRetries,
      include_exceptions: [...TRANSIENT_EXCEPTIONS].sort(),
      exclude_exceptions: null,
      wait_multiplier: 2.0,
      min_wait_sec: 1.0,
      max_wait_sec: 30.0,
    },
    environment: environmentConfig(r),
    verifier: verifierConfig(r),
    metrics: [],
    agents: [agentConfig(r)],
    datasets: [],
    tasks: job.taskDirs.map(taskConfig),
    artifacts: [],
  };
}

/**
 * Exception types a retry can cure (--max-retries): a rate limit or an overloaded API, a Docker
 * daemon hiccup, an environment that did not come up in time (with Harbor's names for the API
 * ones, from Harbor's agents/installed/base.py). Never a reward or verifier failure and never an
 * agent timeout: a retry there would only hide what the task measures.
 */
export const TRANSIENT_EXCEPTIONS: ReadonlySet<string> = new Set([
  'AgentRateLimitError',
  'AgentOverloadedError',
  'ApiRateLimitError',
  'ApiOverloadedError',
  'DockerError',
  'ContainerStartError',
  'ComposeUpError',
  'EnvironmentStartTimeoutError',
  'ImagePullError',
]);
