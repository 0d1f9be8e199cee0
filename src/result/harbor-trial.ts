// Harbor's own trial results read back: a Harbor trial folder's result.json (TrialResult,
// src/harbor/models/trial/result.py at https://github.com/laude-institute/harbor) carries
// none of our fields (status, reward, tests, exceptions, task_dir, attempt), so it is
// validated with a schema of its own, loose because Harbor adds fields between versions,
// and mapped onto our TrialResult with every Harbor field kept. Pure.
import { z } from 'zod';
import type { AgentResult, TrialResult, TrialStatus } from '../trial-result.js';

const timing = z.looseObject({ started_at: z.string().nullish(), finished_at: z.string().nullish() }).nullish();
const exceptionInfo = z.looseObject({
  exception_type: z.string(),
  exception_message: z.string(),
  exception_traceback: z.string().nullish(),
  occurred_at: z.string().nullish(),
});
/** models/agent/context.py AgentContext: every field may be null. */
const agentContext = z.looseObject({
  n_input_tokens: z.number().nullish(),
  n_cache_tokens: z.number().nullish(),
  n_output_tokens: z.number().nullish(),
  cost_usd: z.number().nullish(),
  rollout_details: z.array(z.unknown()).nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});

export const harborTrialSchema = z.looseObject({
  task_name: z.string(),
  trial_name: z.string(),
  task_id: z.looseObject({ path: z.string().nullish() }).nullish(),
  config: z.looseObject({ task: z.looseObject({ path: z.string().nullish() }).nullish() }).nullish(),
  agent_info: z.looseObject({
    name: z.string(),
    version: z.string().nullish(),
    model_info: z.looseObject({ name: z.string(), provider: z.string().nullish() }).nullish(),
  }),
  agent_result: agentContext.nullish(),
  verifier_result: z.looseObject({ rewards: z.record(z.string(), z.number()).nullish() }).nullish(),
  verifier_environment_mode: z.string().nullish(),
  exception_info: exceptionInfo.nullish(),
  started_at: z.string().nullish(),
  finished_at: z.string().nullish(),
  environment_setup: timing,
  agent_setup: timing,
  agent_execution: timing,
  verifier: timing,
  step_results: z.array(z.looseObject({ step_name: z.string(), agent_result: agentContext.nullish() })).nullish(),
});
export type HarborTrial = z.infer<typeof harborTrialSchema>;

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/** A Harbor trial result: Harbor's identity fields and none of ours (`status`). */
export const isHarborTrial = (raw: unknown): boolean =>
  isObject(raw) && 'trial_name' in raw && 'task_name' in raw && 'agent_info' in raw && !('status' in raw);

/** A Harbor job's result.json (JobResult): progress counts, or the trials embedded by older versions. */
export const isHarborJob = (raw: unknown): boolean =>
  isObject(raw) && (('n_total_trials' in raw && 'stats' in raw) || Array.isArray(raw.trial_results));

/** The main reward: `reward`, else the only key's value; several keys and no `reward`: null. */
export function mainReward(rewards: Record<string, number> | null | undefined): number | null {
  if (!rewards) return null;
  if (typeof rewards.reward === 'number') return rewards.reward;
  const values = Object.values(rewards);
  return values.length === 1 ? values[0] : null;
}

type Context = z.infer<typeof agentContext>;
/** Token and cost totals as Harbor's compute_token_cost_totals: the trial's context, else its steps'. */
function agentTotals(h: HarborTrial): AgentResult {
  const contexts: Context[] = h.agent_result
    ? [h.agent_result]
    : (h.step_results ?? []).flatMap((s) => (s.agent_result ? [s.agent_result] : []));
  const sum = (key: 'n_input_tokens' | 'n_cache_tokens' | 'n_output_tokens' | 'cost_usd') =>
    contexts.reduce<number | null>((a, c) => (typeof c[key] === 'number' ? (a ?? 0) + c[key] : a), null);
  return {
    n_input_tokens: sum('n_input_tokens'),
    n_cache_tokens: sum('n_cache_tokens'),
    n_output_tokens: sum('n_output_tokens'),
    cost_usd: sum('cost_usd'),
    ...(h.agent_result ? { rollout_details: h.agent_result.rollout_details, metadata: h.agent_result.metadata } : {}),
    cost_estimated: false,
  };
}

const timingOf = (t: z.infer<typeof timing>) =>
  t ? { started_at: t.started_at ?? null, finished_at: t.finished_at ?? null } : null;

/** Harbor's TrialResult -> ours. attempt is 1; numberAttempts() renumbers per task. */
export function fromHarborTrial(h: HarborTrial): TrialResult {
  const rewards = h.verifier_result?.rewards ?? null;
  const reward = mainReward(rewards);
  const x = h.exception_info;
  const status: TrialStatus =
    x?.exception_type === 'CancelledError'
      ? 'cancelled'
      : rewards && Object.keys(rewards).length > 0
        ? 'completed'
        : 'error';
  const exception = x
    ? {
        exception_type: x.exception_type,
        exception_message: x.exception_message,
        ...(x.exception_traceback ? { exception_traceback: x.exception_traceback } : {}),
        occurred_at: x.occurred_at ?? h.finished_at ?? '',
      }
    : null;
  const mode = h.verifier_environment_mode;
  return {
    ...h, // every Harbor field as written, including ones newer than this schema
    task_id: h.task_id ?? undefined,
    config: h.config ?? undefined,
    task_dir: h.task_id?.path ?? h.config?.task?.path ?? '',
    attempt: 1,
    status,
    reward,
    passed: reward !== null && reward >= 1,
    tests: [],
    tests_passed: 0,
    tests_total: 0,
    agent_info: {
      name: h.agent_info.name,
      version: h.agent_info.version ?? null,
      model_info: h.agent_info.model_info
        ? { name: h.agent_info.model_info.name, provider: h.agent_info.model_info.provider ?? null }
        : null,
    },
    agent_result: agentTotals(h),
    verifier_result: rewards ? { rewards } : null,
    verifier_environment_mode: mode === 'shared' || mode === 'separate' ? mode : null,
    exception_info: exception,
    exceptions: exception ? [exception] : [],
    // A trial that never started has no started_at: its finish (or "") keeps sorting total.
    started_at: h.started_at ?? h.finished_at ?? '',
    finished_at: h.finished_at ?? null,
    environment_setup: timingOf(h.environment_setup),
    agent_setup: timingOf(h.agent_setup),
    agent_execution: timingOf(h.agent_execution),
    verifier: timingOf(h.verifier),
    step_results: h.step_results ?? null,
  };
}

/** Harbor names attempts by random suffix only: number each task's trials 1, 2, … by start time. */
export function numberAttempts(trials: TrialResult[]): TrialResult[] {
  const seen = new Map<string, number>();
  return [...trials]
    .sort((a, b) => a.started_at.localeCompare(b.started_at) || a.trial_name.localeCompare(b.trial_name))
    .map((t) => {
      const n = (seen.get(t.task_name) ?? 0) + 1;
      seen.set(t.task_name, n);
      return { ...t, attempt: n };
    });
}
