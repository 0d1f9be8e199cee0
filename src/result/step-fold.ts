// The steps of a multi-step trial in the event fold (reduce.ts): each step's events (they
// carry its name) become Harbor's StepResult (src/harbor/models/trial/result.py: step_name,
// agent_result, verifier_result, exception_info, agent_execution, verifier), plus our own
// reward and verifier mode. Pure.
import type { TrialEvent } from '../events.js';
import type { ExceptionInfo, TimingInfo, TrialResult } from '../trial-result.js';

export interface StepState {
  step_name: string;
  agent_result: TrialResult['agent_result'] | null;
  verifier_result: { rewards: Record<string, number> } | null;
  exception_info: ExceptionInfo | null;
  agent_execution: TimingInfo | null;
  verifier: TimingInfo | null;
  reward: number | null;
  verifier_mode?: string;
}

export interface StepsState {
  steps: StepState[];
  total: number;
  stopped: { step: string; reason: string } | null;
}

export const noSteps: StepsState = { steps: [], total: 0, stopped: null };

const timed = (t: TimingInfo | null, at: string, end: boolean): TimingInfo =>
  end ? { started_at: t?.started_at ?? at, finished_at: at } : { started_at: at, finished_at: null };

/** Fold one event that carries a step name into the steps. */
export function applyStepEvent(s: StepsState, e: TrialEvent, exception?: ExceptionInfo): StepsState {
  if (!e.step) return s;
  if (e.type === 'step_start') {
    const fresh: StepState = {
      step_name: e.step,
      agent_result: null,
      verifier_result: null,
      exception_info: null,
      agent_execution: null,
      verifier: null,
      reward: null,
    };
    return { ...s, total: e.total, steps: [...s.steps, fresh] };
  }
  const i = s.steps.map((x) => x.step_name).lastIndexOf(e.step);
  if (i < 0) return s;
  const cur = s.steps[i];
  let next: StepState = cur;
  switch (e.type) {
    case 'phase_start':
    case 'phase_end': {
      const end = e.type === 'phase_end';
      if (e.phase === 'agent') next = { ...cur, agent_execution: timed(cur.agent_execution, e.at, end) };
      if (e.phase === 'verifier') next = { ...cur, verifier: timed(cur.verifier, e.at, end) };
      break;
    }
    case 'agent_usage':
      next = {
        ...cur,
        agent_result: {
          n_input_tokens: e.n_input_tokens,
          n_cache_tokens: e.n_cache_tokens,
          n_output_tokens: e.n_output_tokens,
          cost_usd: e.cost_usd,
          cost_estimated: e.estimated,
        },
      };
      break;
    case 'verifier_result':
      next = { ...cur, verifier_result: { rewards: e.rewards }, reward: e.reward };
      break;
    case 'error':
      // Harbor keeps a step's first exception; our own warnings are not exceptions there.
      if (exception && !cur.exception_info) next = { ...cur, exception_info: exception };
      break;
    case 'step_end':
      next = { ...cur, ...(e.verifier_mode ? { verifier_mode: e.verifier_mode } : {}) };
      return {
        ...s,
        steps: replaceAt(s.steps, i, next),
        stopped: e.stopped ? { step: e.step, reason: e.stopped } : s.stopped,
      };
    default:
      return s;
  }
  return next === cur ? s : { ...s, steps: replaceAt(s.steps, i, next) };
}

const replaceAt = <T>(xs: readonly T[], i: number, x: T): T[] => xs.map((y, j) => (j === i ? x : y));

/** The trial's usage: the sum over its steps (null where no step reported a count). */
export function summedUsage(
  steps: readonly StepState[],
  base: TrialResult['agent_result'],
): TrialResult['agent_result'] {
  const withUsage = steps.flatMap((x) => (x.agent_result ? [x.agent_result] : []));
  if (!withUsage.length) return base;
  const sum = (k: 'n_input_tokens' | 'n_cache_tokens' | 'n_output_tokens' | 'cost_usd') =>
    withUsage.some((u) => u[k] !== null) ? withUsage.reduce((a, u) => a + (u[k] ?? 0), 0) : null;
  return {
    n_input_tokens: sum('n_input_tokens'),
    n_cache_tokens: sum('n_cache_tokens'),
    n_output_tokens: sum('n_output_tokens'),
    cost_usd: sum('cost_usd'),
    cost_estimated: withUsage.some((u) => u.cost_estimated),
  };
}

/** Harbor's StepResult list (null for a single-step trial), with our reward beside it. */
export function stepResultsOf(
  s: StepsState,
  withTrace: (x: ExceptionInfo) => ExceptionInfo,
): TrialResult['step_results'] {
  if (!s.steps.length) return null;
  return s.steps.map((x) => ({
    step_name: x.step_name,
    agent_result: x.agent_result && { ...x.agent_result, rollout_details: null, metadata: null },
    verifier_result: x.verifier_result,
    exception_info: x.exception_info && withTrace(x.exception_info),
    agent_execution: x.agent_execution,
    verifier: x.verifier,
    reward: x.reward,
    ...(x.verifier_mode ? { verifier_mode: x.verifier_mode } : {}),
  }));
}
