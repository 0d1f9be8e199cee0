// The job folder's own files, as Harbor keeps them (src/harbor/job.py in
// https://github.com/laude-institute/harbor): config.json (JobConfig) and result.json (JobResult)
// written when the job starts, result.json rewritten after each trial, atomically, so a job cut
// short (a runner timeout, SIGKILL) leaves a folder that Harbor's tools and `tb2 run --resume` read.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { aggregateJob, type JobResult } from '../result/job.js';
import type { TrialResult } from '../trial-result.js';
import { persist, writeAtomic } from './result-file.js';

export interface JobFilesInit {
  dir: string;
  id: string;
  startedAt: string;
  nRetries: number;
  config: Record<string, unknown>;
}

export class JobFiles {
  readonly resultPath: string;
  private nRetries: number;
  private nTotalTrials = 0;
  private writing: Promise<unknown> = Promise.resolve();

  constructor(private readonly init: JobFilesInit) {
    this.resultPath = path.join(init.dir, 'result.json');
    this.nRetries = init.nRetries;
  }

  get retries(): number {
    return this.nRetries;
  }

  retried(): void {
    this.nRetries++;
  }

  /** Write config.json and the first result.json: `total` trials planned, `trials` of them already done (a resume). */
  async start(trials: TrialResult[], total: number): Promise<void> {
    this.nTotalTrials = total;
    await mkdir(this.init.dir, { recursive: true });
    await writeAtomic(path.join(this.init.dir, 'config.json'), JSON.stringify(this.init.config, null, 2) + '\n');
    await this.progress(trials, 0);
  }

  /** The job so far: finished_at stays null, as in Harbor's file of a running job. */
  progress(trials: readonly TrialResult[], running: number): Promise<unknown> {
    const job = this.result(trials, null, running);
    // One write at a time, in order: two trials finishing together must not interleave.
    this.writing = this.writing.then(() =>
      writeAtomic(this.resultPath, JSON.stringify(job, null, 2) + '\n').catch(() => undefined),
    );
    return this.writing;
  }

  /** The final job result; a write that fails is returned as a message (the result still is). */
  async finish(trials: TrialResult[]): Promise<{ job: JobResult; unsaved?: string }> {
    await this.writing;
    const job = this.result(trials, new Date().toISOString(), 0);
    const json = JSON.stringify(job, null, 2) + '\n';
    const trialDirs = trials.map((t) => path.join(this.init.dir, t.trial_name));
    const unsaved = await persist(this.resultPath, json, trialDirs, () => json);
    return { job, ...(unsaved ? { unsaved } : {}) };
  }

  private result(trials: readonly TrialResult[], finishedAt: string | null, running: number): JobResult {
    return aggregateJob([...trials], {
      id: this.init.id,
      job_name: path.basename(this.init.dir),
      started_at: this.init.startedAt,
      updated_at: new Date().toISOString(),
      finished_at: finishedAt,
      n_total_trials: this.nTotalTrials,
      n_running_trials: running,
      n_retries: this.nRetries,
      resultPath: (t) => path.join(t.trial_name, 'result.json'),
    });
  }
}
