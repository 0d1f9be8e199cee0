// Checks of our job folders against Harbor's models, written from their field lists
// (src/harbor/models/trial/{config,result}.py, models/job/{config,result}.py,
// models/agent/context.py in https://github.com/laude-institute/harbor; ../shared/HARBOR.md).
// Every Harbor field must be present with Harbor's JSON type (null only where Harbor allows
// it); our own extra fields are allowed (a superset). Returns a list of problems, [] when clean.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const iso = z.string().regex(ISO, 'an ISO-8601 time with a zone');
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'a UUID');
const int = z.number().int();
const obj = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);

const timing = obj({ started_at: iso.nullable(), finished_at: iso.nullable() }).nullable();
const exceptionInfo = obj({
  exception_type: z.string().min(1),
  exception_message: z.string(),
  exception_traceback: z.string().min(1),
  occurred_at: iso,
});
const taskConfig = obj({
  path: z.string().min(1),
  git_url: z.string().nullable(),
  git_commit_id: z.string().nullable(),
  overwrite: z.boolean(),
  download_dir: z.string().nullable(),
  source: z.string().nullable(),
});
const agentConfig = obj({
  name: z.string().nullable(),
  import_path: z.string().nullable(),
  model_name: z.string().nullable(),
  override_timeout_sec: z.number().nullable(),
  max_timeout_sec: z.number().nullable(),
  kwargs: z.record(z.string(), z.unknown()),
});
const environmentConfig = obj({
  type: z.literal('docker'),
  force_build: z.boolean(),
  delete: z.boolean(),
  override_cpus: int.nullable(),
  override_memory_mb: int.nullable(),
  override_storage_mb: int.nullable(),
  kwargs: z.record(z.string(), z.unknown()),
});
const verifierConfig = obj({
  override_timeout_sec: z.number().nullable(),
  max_timeout_sec: z.number().nullable(),
  disable: z.boolean(),
});
export const harborTrialConfig = obj({
  task: taskConfig,
  trial_name: z.string().min(1),
  trials_dir: z.string().min(1),
  timeout_multiplier: z.number(),
  agent: agentConfig,
  environment: environmentConfig,
  verifier: verifierConfig,
  job_id: uuid.nullable(),
});
const agentContext = obj({
  n_input_tokens: int.nullable(),
  n_cache_tokens: int.nullable(),
  n_output_tokens: int.nullable(),
  cost_usd: z.number().nullable(),
  rollout_details: z.array(z.unknown()).nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
});
const verifierResult = obj({ rewards: z.record(z.string(), z.number()).nullable() });
/** StepResult (models/trial/result.py): a multi-step trial's steps. */
const stepResult = obj({
  step_name: z.string().min(1),
  agent_result: agentContext.nullable(),
  verifier_result: verifierResult.nullable(),
  exception_info: exceptionInfo.nullable(),
  agent_execution: timing,
  verifier: timing,
});
export const harborTrialResult = obj({
  id: uuid,
  task_name: z.string().min(1),
  trial_name: z.string().min(1),
  trial_uri: z.string().startsWith('file:///'),
  task_id: obj({ path: z.string().min(1) }),
  source: z.string().nullable(),
  task_checksum: z.string(),
  config: harborTrialConfig,
  agent_info: obj({
    name: z.string(),
    version: z.string(),
    model_info: obj({ name: z.string(), provider: z.string().nullable() }).nullable(),
  }),
  agent_result: agentContext.nullable(),
  verifier_result: verifierResult.nullable(),
  verifier_environment_mode: z.enum(['shared', 'separate']).nullable(),
  exception_info: exceptionInfo.nullable(),
  started_at: iso.nullable(),
  finished_at: iso.nullable(),
  environment_setup: timing,
  agent_setup: timing,
  agent_execution: timing,
  verifier: timing,
  step_results: z.array(stepResult).nullable(),
});
export const harborJobConfig = obj({
  job_name: z.string().min(1),
  jobs_dir: z.string().min(1),
  n_attempts: int.positive(),
  timeout_multiplier: z.number(),
  n_concurrent_trials: int.positive(),
  agents: z.array(agentConfig).min(1),
  datasets: z.array(z.unknown()),
  tasks: z.array(taskConfig),
});
const evalStats = obj({
  n_trials: int,
  n_errors: int,
  metrics: z.array(z.record(z.string(), z.number())),
  pass_at_k: z.record(z.string().regex(/^\d+$/), z.number()),
  reward_stats: z.record(z.string(), z.record(z.string(), z.array(z.string()))),
  exception_stats: z.record(z.string(), z.array(z.string())),
});
export const harborJobResult = obj({
  id: uuid,
  started_at: iso,
  updated_at: iso.nullable(),
  finished_at: iso.nullable(),
  n_total_trials: int,
  stats: obj({
    n_completed_trials: int,
    n_errored_trials: int,
    n_running_trials: int,
    n_pending_trials: int,
    n_cancelled_trials: int,
    n_retries: int,
    evals: z.record(z.string(), evalStats),
    n_input_tokens: int.nullable(),
    n_cache_tokens: int.nullable(),
    n_output_tokens: int.nullable(),
    cost_usd: z.number().nullable(),
  }),
});

const problemsOf = (where: string, schema: z.ZodType, value: unknown): string[] => {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${where}: ${i.path.join('.') || '(root)'}: ${i.message}`);
};
const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

/** One trial folder: result.json, config.json, exception.txt exactly with exception_info, times inside the trial. */
export function checkHarborTrial(trialDir: string): string[] {
  const name = path.basename(trialDir);
  const result = readJson(path.join(trialDir, 'result.json')) as Record<string, unknown>;
  const out = problemsOf(`${name}/result.json`, harborTrialResult, result);
  out.push(...problemsOf(`${name}/config.json`, harborTrialConfig, readJson(path.join(trialDir, 'config.json'))));
  if (out.length) return out;
  const r = harborTrialResult.parse(result);
  if (r.trial_name !== name) out.push(`${name}: trial_name is ${r.trial_name}`);
  if (!/^[A-Za-z0-9._-]{1,32}__[2-9A-HJ-NP-Za-km-z]{7}$/.test(name)) out.push(`${name}: not a Harbor trial name`);
  if (existsSync(path.join(trialDir, 'exception.txt')) !== (r.exception_info !== null))
    out.push(
      `${name}: exception.txt present ${existsSync(path.join(trialDir, 'exception.txt'))}, exception_info ${r.exception_info !== null}`,
    );
  const start = Date.parse(r.started_at ?? ''),
    end = Date.parse(r.finished_at ?? '');
  const inside = (what: string, t: string | null | undefined) => {
    if (t && !(Date.parse(t) >= start && Date.parse(t) <= end)) out.push(`${name}: ${what} ${t} is outside the trial`);
  };
  inside('exception_info.occurred_at', r.exception_info?.occurred_at);
  for (const p of ['environment_setup', 'agent_setup', 'agent_execution', 'verifier'] as const) {
    inside(`${p}.started_at`, r[p]?.started_at);
    inside(`${p}.finished_at`, r[p]?.finished_at);
  }
  for (const [i, st] of (r.step_results ?? []).entries())
    for (const p of ['agent_execution', 'verifier'] as const) {
      inside(`step_results.${i}.${p}.started_at`, st[p]?.started_at);
      inside(`step_results.${i}.${p}.finished_at`, st[p]?.finished_at);
    }
  return out;
}

/** A whole job folder: config.json, result.json, and every folder a trial folder. */
export function checkHarborJob(jobDir: string): string[] {
  const out = [
    ...problemsOf('config.json', harborJobConfig, readJson(path.join(jobDir, 'config.json'))),
    ...problemsOf('result.json', harborJobResult, readJson(path.join(jobDir, 'result.json'))),
  ];
  for (const e of readdirSync(jobDir)) {
    const full = path.join(jobDir, e);
    if (!statSync(full).isDirectory()) continue;
    if (!existsSync(path.join(full, 'result.json'))) out.push(`${e}: a folder that is not a trial folder`);
    else out.push(...checkHarborTrial(full));
  }
  return out;
}
