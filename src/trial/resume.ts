// `tb2 run --output DIR --resume`: pick up a job cut short (a runner timeout, a rate limit, a
// cancelled workflow) the way `harbor jobs resume` does (src/harbor/job.py in
// https://github.com/laude-institute/harbor): finished trial folders are kept untouched, folders
// without a result.json and trials that ended cancelled are deleted and run again, the job keeps
// its id. A DIR whose config.json names other tasks, another agent or model, or that holds a
// folder that is not one of its trials, is refused before anything in it changes.
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { trialResultSchema, type TrialResult } from '../trial-result.js';

export interface ResumeState {
  jobId: string | undefined;
  startedAt: string | undefined;
  nRetries: number;
  /** Finished trials, kept as they are. */
  kept: TrialResult[];
  /** Trial folders deleted to be run again. */
  removed: string[];
}

const jobConfigSchema = z.looseObject({
  agents: z.array(z.looseObject({ name: z.string().nullable(), model_name: z.string().nullable().optional() })).min(1),
  tasks: z.array(z.looseObject({ path: z.string() })),
});
const jobResultSchema = z.looseObject({
  id: z.string().optional(),
  started_at: z.string().optional(),
  stats: z.looseObject({ n_retries: z.number().optional() }).optional(),
});

export interface ResumeExpect {
  taskDirs: string[];
  agent: string;
  model?: string;
}

async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await readFile(file, 'utf8')) as unknown;
}

/** Why DIR/config.json does not describe this run, or undefined when it does. Pure. */
export function resumeMismatch(config: z.infer<typeof jobConfigSchema>, want: ResumeExpect): string | undefined {
  const had = config.agents[0];
  if ((had.name ?? 'oracle') !== want.agent) return `agent "${had.name}", not "${want.agent}"`;
  if ((had.model_name ?? null) !== (want.model ?? null))
    return `model ${JSON.stringify(had.model_name ?? null)}, not ${JSON.stringify(want.model ?? null)}`;
  const before = new Set(config.tasks.map((t) => path.resolve(t.path)));
  const now = new Set(want.taskDirs.map((d) => path.resolve(d)));
  const added = [...now].filter((d) => !before.has(d));
  const dropped = [...before].filter((d) => !now.has(d));
  if (added.length || dropped.length) {
    const part = (what: string, xs: string[]) =>
      xs.length ? `${what} ${xs.slice(0, 3).join(', ')}${xs.length > 3 ? ` and ${xs.length - 3} more` : ''}` : '';
    return `other tasks (${[part('new:', added), part('missing:', dropped)].filter(Boolean).join('; ')})`;
  }
  return undefined;
}

/**
 * Read DIR for a resume: undefined when DIR does not exist or is empty (a first run). Throws a
 * UsageError naming config.json, with DIR untouched, when DIR is not a job of this run.
 */
export async function prepareResume(dir: string, want: ResumeExpect): Promise<ResumeState | undefined> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
  if (!entries || entries.length === 0) return undefined;
  const configFile = path.join(dir, 'config.json');
  let raw: unknown;
  try {
    raw = await readJson(configFile);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : 'unreadable';
    throw new UsageError(`--resume: ${configFile}: ${why} (expected the config.json of a job folder to resume)`);
  }
  const config = jobConfigSchema.safeParse(raw);
  if (!config.success)
    throw new UsageError(
      `--resume: ${configFile}: not a job config (expected "agents" and "tasks" as Harbor writes them)`,
    );
  const mismatch = resumeMismatch(config.data, want);
  if (mismatch)
    throw new UsageError(
      `--resume: ${configFile} is a job of ${mismatch}; resume with the same tasks, agent and model, or use another --output`,
    );

  const job = jobResultSchema.safeParse(await readJson(path.join(dir, 'result.json')).catch(() => ({})));
  const kept: TrialResult[] = [];
  const rerun: string[] = [];
  // Read everything first: a folder we cannot account for refuses the resume, untouched.
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const file = path.join(dir, e.name, 'result.json');
    if (!(await stat(file).catch(() => undefined))) {
      rerun.push(e.name); // unfinished: cut before its result was written
      continue;
    }
    const result = trialResultSchema.safeParse(await readJson(file).catch(() => null));
    if (!result.success || result.data.trial_name !== e.name)
      throw new UsageError(
        `--resume: ${file}: not a trial result of this job (expected a tb2 trial result named ${e.name}); move that folder away or use another --output`,
      );
    if (result.data.status === 'cancelled') rerun.push(e.name);
    else kept.push(result.data);
  }
  for (const name of rerun) await rm(path.join(dir, name), { recursive: true, force: true });
  const keptJobId = kept
    .map((t) => (t.config as { job_id?: unknown } | undefined)?.job_id)
    .find((x) => typeof x === 'string');
  return {
    jobId: (job.success ? job.data.id : undefined) ?? keptJobId,
    startedAt: job.success ? job.data.started_at : undefined,
    nRetries: job.success ? (job.data.stats?.n_retries ?? 0) : 0,
    kept,
    removed: rerun,
  };
}
