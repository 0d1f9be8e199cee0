// A job: every task × attempts as flat trial folders under one job folder, which is also a
// Harbor job folder (README "Results", ../shared/HARBOR.md), run with a concurrency limit. One
// failing or cancelled trial never takes the others down; a task that fails validation becomes
// an errored trial with its own result.json. --resume keeps what a cut-short job finished
// (resume.ts); --max-retries runs a trial again after a transient failure.
import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAgent } from '../agents/registry.js';
import type { Agent, AgentSettings } from '../agents/types.js';
import type { Environments } from '../environment/types.js';
import { UsageError } from '../errors.js';
import type { Emit } from '../events.js';
import type { JobResult } from '../result/job.js';
import type { TrialResult } from '../trial-result.js';
import { taskChecksum } from '../task/checksum.js';
import { expandTaskArgs } from '../task/discover.js';
import { loadTask, type Task } from '../task/load.js';
import { jobConfigOf, trialIdentityOf, trialNameFor, TRANSIENT_EXCEPTIONS, type RunShape } from './harbor-config.js';
import { JobFiles } from './job-files.js';
import { TrialRecord } from './record.js';
import { prepareResume, type ResumeState } from './resume.js';
import { runTrial, type TrialOptions } from './runner.js';

export interface JobPlan {
  taskDirs: string[];
  attempts: number;
  concurrency: number;
  outputDir: string;
  runId: string;
  agent: AgentSettings;
  options: TrialOptions;
  resume?: boolean;
  maxRetries?: number;
  /** The caller's environment, read by the env templates of task.toml (`${VAR}`, `${VAR:-default}`). */
  callerEnv?: NodeJS.ProcessEnv;
  /** Wait before retry n (0-based); exponential from 1 s, at most 30 s. */
  retryDelayMs?: (n: number) => number;
}

export interface JobOutcome {
  job: JobResult;
  trials: TrialResult[];
  jobResultPath: string;
  /** Why the job's result.json could not be written (it is still returned here). */
  unsaved?: string;
}

const defaultDelay = (n: number) => Math.min(30_000, 1000 * 2 ** n);

export interface JobDeps {
  environments: Environments;
  emit: Emit;
  signal: AbortSignal;
  /** The agent of each trial (the registry's; tests script their own). */
  agents?: (s: AgentSettings) => Agent;
}

export async function runJob(plan: JobPlan, deps: JobDeps): Promise<JobOutcome> {
  const outputDir = path.resolve(plan.outputDir);
  const dirs = await expandTaskArgs(plan.taskDirs);
  const agentName = plan.agent.agent;
  // Refused runs throw here, before anything in the folder changes: a second job in a job
  // folder would mix two jobs' trials under one config.json.
  if (!plan.resume && (await stat(path.join(outputDir, 'config.json')).catch(() => undefined)))
    throw new UsageError(
      `--output ${plan.outputDir}: already holds a job (config.json): add --resume to continue it, or choose another folder`,
    );
  const resumed: ResumeState | undefined = plan.resume
    ? await prepareResume(outputDir, { taskDirs: dirs, agent: agentName, model: plan.agent.model })
    : undefined;
  const shape: RunShape = {
    jobDir: outputDir,
    jobId: resumed?.jobId ?? randomUUID(),
    agent: agentName,
    model: plan.agent.model,
    agentTimeoutSec: plan.options.agentTimeoutSec,
    verifierTimeoutSec: plan.options.verifierTimeoutSec,
    forceBuild: plan.options.forceBuild,
    verifierMode: plan.options.verifierMode,
  };
  const results: TrialResult[] = [...(resumed?.kept ?? [])];
  const files = new JobFiles({
    dir: outputDir,
    id: shape.jobId,
    startedAt: resumed?.startedAt ?? new Date().toISOString(),
    nRetries: resumed?.nRetries ?? 0,
    config: jobConfigOf(shape, {
      attempts: plan.attempts,
      concurrency: plan.concurrency,
      taskDirs: dirs.map((d) => path.resolve(d)),
      maxRetries: plan.maxRetries ?? 0,
    }),
  });
  const queue: Array<() => Promise<TrialResult>> = [];
  const failed = (dir: string, attempt: number, err: unknown, name?: string) =>
    recordFailed({ dir, attempt, err, name, shape, emit: deps.emit });

  for (const dir of dirs) {
    const taskDir = path.resolve(dir);
    const done = results.filter((t) => path.resolve(t.task_dir) === taskDir).map((t) => t.attempt);
    let task: Task;
    try {
      task = await loadTask(dir, {
        requireSolution: agentName === 'oracle',
        forceBuild: plan.options.forceBuild,
        callerEnv: plan.callerEnv,
      });
    } catch (err) {
      if (done.length === 0) queue.push(() => failed(dir, 1, err));
      continue;
    }
    const checksum = taskChecksum(task.dir).catch(() => '');
    for (let attempt = 1, left = plan.attempts - done.length; left > 0; attempt++) {
      if (done.includes(attempt)) continue;
      left--;
      const n = attempt;
      const trialName = trialNameFor(task.name);
      queue.push(() =>
        runWithRetries(plan, deps, files, { task, attempt: n, trialName, shape, checksum }).catch((err) =>
          failed(dir, n, err, trialName),
        ),
      );
    }
  }
  await files.start(results, results.length + queue.length);

  // A small pool: N workers pull from the queue; each trial catches its own failures.
  let next = 0;
  let running = 0;
  const worker = async () => {
    while (next < queue.length) {
      const run = queue[next++];
      running++;
      void files.progress(results, running);
      const r = await run();
      running--;
      results.push(r);
      void files.progress(results, running);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(plan.concurrency, queue.length)) }, worker));
  const { job, unsaved } = await files.finish(results);
  return { job, trials: results, jobResultPath: files.resultPath, ...(unsaved ? { unsaved } : {}) };
}

interface OneTrial {
  task: Task;
  attempt: number;
  trialName: string;
  shape: RunShape;
  checksum: Promise<string>;
}

/** One trial; after a transient failure (rate limit, Docker hiccup) the same trial again, up to maxRetries times. */
async function runWithRetries(plan: JobPlan, deps: JobDeps, files: JobFiles, one: OneTrial): Promise<TrialResult> {
  const trialDir = path.join(path.resolve(plan.outputDir), one.trialName);
  const identity = trialIdentityOf(one.shape, {
    taskDir: one.task.dir,
    trialName: one.trialName,
    trialDir,
    checksum: await one.checksum,
  });
  let carried: TrialResult['exceptions'] = [];
  let why = '';
  const max = plan.maxRetries ?? 0;
  for (let retry = 0; ; retry++) {
    await mkdir(trialDir, { recursive: true });
    // Announced once the folder is fresh: the events file of the retry opens in it.
    if (retry > 0)
      deps.emit({
        type: 'trial_retry',
        trial_name: one.trialName,
        at: new Date().toISOString(),
        retry,
        max_retries: max,
        exception_type: why,
      });
    const result = await runTrial(
      {
        task: one.task,
        attempt: one.attempt,
        trialName: one.trialName,
        trialDir,
        runId: plan.runId,
        agent: (deps.agents ?? createAgent)(plan.agent),
        options: plan.options,
        identity,
        carried,
      },
      deps,
    );
    // As Harbor does, on the type of the trial's exception_info: a rate-limited agent still
    // verifies (and usually scores 0), so its trial completes; only a solved one is kept.
    why = result.exception_info?.exception_type ?? '';
    const transient = TRANSIENT_EXCEPTIONS.has(why) && !result.passed;
    if (!transient || retry >= max || deps.signal.aborted) return result;
    files.retried();
    carried = result.exceptions;
    // Harbor deletes the failed attempt's folder, then waits, then runs the same trial again;
    // a cancel during the wait leaves a cancelled trial (runTrial on an aborted signal), which
    // --resume runs again.
    await rm(trialDir, { recursive: true, force: true });
    await sleep((plan.retryDelayMs ?? defaultDelay)(retry), undefined, { signal: deps.signal }).catch(() => undefined);
  }
}

/** A task that failed validation, or a trial that threw: an errored trial, with the same events and files. */
async function recordFailed(a: {
  dir: string;
  attempt: number;
  err: unknown;
  name?: string;
  shape: RunShape;
  emit: Emit;
}): Promise<TrialResult> {
  const taskDir = path.resolve(a.dir);
  const taskName = path.basename(taskDir);
  const trialName = a.name ?? trialNameFor(taskName);
  const trialDir = path.join(a.shape.jobDir, trialName);
  await mkdir(trialDir, { recursive: true }).catch(() => undefined);
  const record = new TrialRecord(trialName, a.emit);
  record.emit({
    type: 'trial_start',
    task_name: taskName,
    task_dir: taskDir,
    agent: a.shape.agent,
    attempt: a.attempt,
  });
  record.fail(a.err);
  const checksum = await taskChecksum(taskDir).catch(() => '');
  const identity = trialIdentityOf(a.shape, { taskDir, trialName, trialDir, checksum });
  return record.finish(trialDir, identity, { agent: a.shape.agent });
}
