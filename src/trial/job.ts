// A job: every task × attempts as flat trial folders under one job folder (README "Results"),
// run with a concurrency limit. One failing or cancelled trial never takes the others
// down; a task that fails validation becomes an errored trial with its own result.json.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createAgent } from '../agents/registry.js';
import type { AgentSettings } from '../agents/types.js';
import type { Environments } from '../environment/types.js';
import type { Emit } from '../events.js';
import { aggregateJob, type JobResult } from '../result/job.js';
import type { TrialResult } from '../trial-result.js';
import { expandTaskArgs } from '../task/discover.js';
import { loadTask, slugOf, type Task } from '../task/load.js';
import { TrialRecord } from './record.js';
import { persist } from './result-file.js';
import { runTrial, type TrialOptions } from './runner.js';

export interface JobPlan {
  taskDirs: string[];
  attempts: number;
  concurrency: number;
  outputDir: string;
  runId: string;
  agent: AgentSettings;
  options: TrialOptions;
}

export interface JobOutcome {
  job: JobResult;
  trials: TrialResult[];
  jobResultPath: string;
  /** Why the job's result.json could not be written (it is still returned here). */
  unsaved?: string;
}

/** `<task>__<7 random chars>`: unique across runs, readable in a listing. */
export function trialNameFor(slug: string): string {
  const id = randomBytes(5).toString('base64url').replace(/[-_]/g, 'x').slice(0, 7).toLowerCase();
  return `${slug}__${id}`;
}

export async function runJob(
  plan: JobPlan,
  deps: { environments: Environments; emit: Emit; signal: AbortSignal },
): Promise<JobOutcome> {
  const startedAt = new Date().toISOString();
  const outputDir = path.resolve(plan.outputDir);
  await mkdir(outputDir, { recursive: true });
  const results: TrialResult[] = [];
  const queue: Array<() => Promise<TrialResult>> = [];

  for (const dir of await expandTaskArgs(plan.taskDirs)) {
    let task: Task;
    try {
      task = await loadTask(dir, {
        requireSolution: plan.agent.agent === 'oracle',
        forceBuild: plan.options.forceBuild,
      });
    } catch (err) {
      results.push(await recordFailed(dir, 1, err, outputDir, plan.agent.agent, deps.emit));
      continue;
    }
    for (let attempt = 1; attempt <= plan.attempts; attempt++) {
      const runOne = async () => {
        const trialName = trialNameFor(task.slug);
        const trialDir = path.join(outputDir, trialName);
        await mkdir(trialDir, { recursive: true });
        const agent = createAgent(plan.agent);
        return runTrial(
          { task, attempt, trialName, trialDir, runId: plan.runId, agent, options: plan.options },
          { environments: deps.environments, emit: deps.emit, signal: deps.signal },
        );
      };
      // A trial that throws (no folder can be made: a full disk) still gets a result.
      queue.push(() =>
        runOne().catch((err) => recordFailed(dir, attempt, err, outputDir, plan.agent.agent, deps.emit)),
      );
    }
  }

  // A small pool: N workers pull from the queue; each trial catches its own failures.
  let next = 0;
  const worker = async () => {
    while (next < queue.length) {
      const run = queue[next++];
      results.push(await run());
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(plan.concurrency, queue.length)) }, worker));

  const job = aggregateJob(results, {
    job_name: path.basename(outputDir),
    started_at: startedAt,
    finished_at: new Date().toISOString(),
    resultPath: (t) => path.join(t.trial_name, 'result.json'),
  });
  const jobResultPath = path.join(outputDir, 'result.json');
  const json = JSON.stringify(job, null, 2) + '\n';
  const trialDirs = results.map((t) => path.join(outputDir, t.trial_name));
  const unsaved = await persist(jobResultPath, json, trialDirs, () => json);
  return { job, trials: results, jobResultPath, ...(unsaved ? { unsaved } : {}) };
}

/** A task that failed validation, or a trial that threw: an errored trial, with the same events and files. */
async function recordFailed(
  dir: string,
  attempt: number,
  err: unknown,
  outputDir: string,
  agent: string,
  emit: Emit,
): Promise<TrialResult> {
  const slug = slugOf(path.basename(path.resolve(dir)));
  const trialName = trialNameFor(slug);
  const trialDir = path.join(outputDir, trialName);
  await mkdir(trialDir, { recursive: true }).catch(() => undefined);
  const record = new TrialRecord(trialName, emit);
  record.emit({ type: 'trial_start', task_name: slug, task_dir: path.resolve(dir), agent, attempt });
  record.fail(err);
  return record.finish(trialDir, { agent });
}
