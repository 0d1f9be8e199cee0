// Events -> TrialResult, as a pure fold (README "Results"). The runner feeds
// its own events through this; anything else (tests, aggregation of events.jsonl) can too.
// Output lines are ignored here, so memory does not grow with what the agent prints.
// The result is a superset of Harbor's TrialResult, written in Harbor's field order
// (src/harbor/models/trial/result.py in https://github.com/laude-institute/harbor).
import type { Phase, TestCase, TrialEvent } from '../events.js';
import type { ExceptionInfo, TimingInfo, TrialResult, TrialStatus } from '../trial-result.js';
import { applyStepEvent, noSteps, stepResultsOf, summedUsage, type StepsState } from './step-fold.js';

export interface TrialState {
  trial_name: string;
  task_name: string;
  task_dir: string;
  attempt: number;
  agent: { name: string; version: string | null; model: string | null };
  started_at: string;
  finished_at: string | null;
  phases: Partial<Record<Phase, TimingInfo>>;
  usage: TrialResult['agent_result'];
  rewards: Record<string, number> | null;
  reward: number | null;
  tests: TestCase[];
  exceptions: ExceptionInfo[];
  fatal: ExceptionInfo | null;
  /** A multi-step trial's steps (step-fold.ts). */
  steps: StepsState;
  strategy?: 'mean' | 'final';
}

export function initialState(trial_name: string, at: string): TrialState {
  return {
    trial_name,
    task_name: '',
    task_dir: '',
    attempt: 1,
    agent: { name: '', version: null, model: null },
    started_at: at,
    finished_at: null,
    phases: {},
    usage: { n_input_tokens: null, n_cache_tokens: null, n_output_tokens: null, cost_usd: null, cost_estimated: false },
    rewards: null,
    reward: null,
    tests: [],
    exceptions: [],
    fatal: null,
    steps: noSteps,
  };
}

export function applyEvent(s0: TrialState, e: TrialEvent): TrialState {
  if (e.step && e.type !== 'error' && e.type !== 'output') s0 = { ...s0, steps: applyStepEvent(s0.steps, e) };
  const s = s0;
  switch (e.type) {
    case 'step_start':
      return { ...s, strategy: e.strategy };
    case 'trial_start':
      return {
        ...s,
        task_name: e.task_name,
        task_dir: e.task_dir,
        attempt: e.attempt,
        started_at: e.at,
        agent: { ...s.agent, name: e.agent },
      };
    case 'agent_info':
      return { ...s, agent: { name: e.name, version: e.version ?? s.agent.version, model: e.model ?? s.agent.model } };
    case 'phase_start': {
      // A multi-step trial's phase spans its steps: from the first step's start to the last one's end.
      const started = (e.step && s.phases[e.phase]?.started_at) || e.at;
      return { ...s, phases: { ...s.phases, [e.phase]: { started_at: started, finished_at: null } } };
    }
    case 'phase_end': {
      const started = s.phases[e.phase]?.started_at ?? e.at;
      return { ...s, phases: { ...s.phases, [e.phase]: { started_at: started, finished_at: e.at } } };
    }
    case 'agent_usage':
      if (e.step) return { ...s, usage: summedUsage(s.steps.steps, s.usage) };
      return {
        ...s,
        usage: {
          n_input_tokens: e.n_input_tokens,
          n_cache_tokens: e.n_cache_tokens,
          n_output_tokens: e.n_output_tokens,
          cost_usd: e.cost_usd,
          cost_estimated: e.estimated,
        },
      };
    case 'verifier_result':
      // A step's verdict is the step's; the trial's comes once, from its steps (trial/step-run.ts).
      if (e.step) return s;
      return { ...s, rewards: e.rewards, reward: e.reward, tests: e.tests };
    case 'error': {
      const info: ExceptionInfo = {
        exception_type: e.exception_type,
        exception_message: e.message,
        occurred_at: e.at,
        ...(e.phase ? { phase: e.phase } : {}),
        ...(e.kind ? { kind: e.kind } : {}),
        ...(e.fatal ? { fatal: true } : {}),
        ...(e.step ? { step: e.step } : {}),
      };
      // A step's error is that step's (Harbor's StepResult.exception_info), not the trial's.
      // Cancellation and Docker faults end the trial too (Harbor: CancelledError escapes the
      // step; for us an infrastructure fault is exit 3 wherever it happened).
      if (e.step) {
        const own = OWN_WARNINGS.has(e.exception_type) && !e.fatal;
        const steps = applyStepEvent(s.steps, e, own ? undefined : info);
        const ends = e.fatal && endsTrial(info) && !s.fatal;
        return { ...s, steps, exceptions: [...s.exceptions, info], ...(ends ? { fatal: info } : {}) };
      }
      return { ...s, exceptions: [...s.exceptions, info], fatal: e.fatal && !s.fatal ? info : s.fatal };
    }
    case 'run_complete':
      return { ...s, finished_at: e.at };
    default:
      return s;
  }
}

/** Cancelled beats everything; a reward means completed; otherwise the trial errored. */
export function statusOf(s: TrialState): TrialStatus {
  if (s.exceptions.some((x) => x.exception_type === 'CancelledError')) return 'cancelled';
  if (s.reward !== null && !s.fatal) return 'completed';
  return 'error';
}

/** What one trial is in Harbor's terms, known before it runs (trial/harbor-config.ts builds it). */
export interface TrialIdentity {
  id: string;
  trial_uri: string;
  task_id: { path: string };
  source: string | null;
  task_checksum: string;
  /** Harbor's TrialConfig. */
  config: Record<string, unknown>;
  verifier_environment_mode: 'shared' | 'separate' | null;
}

/**
 * Problems we record that Harbor would not raise: they stay in our own `exceptions` list and
 * never become exception_info (the leaderboard drops trials whose exception type is not on
 * its allow-list, and a trial is not worse because its CTRF report was malformed).
 */
export const OWN_WARNINGS: ReadonlySet<string> = new Set([
  'CtrfParseError',
  'OutputDiskFullError',
  'OutputWriteError',
  'ContainerUnusableError',
  // A task key tb2 does not honour, MCP servers an agent ignored (trial/task-warnings.ts).
  'UnsupportedTaskSetting',
  'McpServersIgnored',
]);

/** Harbor's exception_traceback is a Python traceback; ours says where in the trial it was raised. */
export function tracebackOf(e: ExceptionInfo, trialName: string): string {
  const where = e.phase ? `the ${e.phase} phase of trial ${trialName}` : `trial ${trialName}`;
  return `tb2: raised in ${where} at ${e.occurred_at}\n${e.exception_type}: ${e.exception_message}\n`;
}

/** A step's error that is the trial's as well: a cancellation or an infrastructure fault. */
const endsTrial = (x: ExceptionInfo) => x.kind === 'cancelled' || x.kind === 'infra';

/** Harbor keeps a trial's first exception; a replaced attempt's and our own warnings do not count. */
function firstException(s: TrialState): ExceptionInfo | null {
  const own = (x: ExceptionInfo) =>
    x.retried ||
    (x.step !== undefined && !(x.fatal && endsTrial(x))) ||
    (OWN_WARNINGS.has(x.exception_type) && !x.fatal);
  return s.exceptions.find((x) => !own(x)) ?? null;
}

export function finalize(
  s: TrialState,
  finishedAt: string,
  identity: TrialIdentity,
  runConfig: Record<string, unknown>,
): TrialResult {
  const status = statusOf(s);
  const reward = status === 'completed' ? s.reward : null;
  const withTrace = (x: ExceptionInfo): ExceptionInfo => ({
    ...x,
    exception_traceback: x.exception_traceback ?? tracebackOf(x, s.trial_name),
  });
  const first = firstException(s);
  return {
    id: identity.id,
    task_name: s.task_name,
    trial_name: s.trial_name,
    trial_uri: identity.trial_uri,
    task_id: identity.task_id,
    source: identity.source,
    task_checksum: identity.task_checksum,
    config: identity.config,
    agent_info: {
      name: s.agent.name,
      // Harbor's AgentInfo.version is a string.
      version: s.agent.version ?? 'unknown',
      model_info: s.agent.model ? modelInfoOf(s.agent.model) : null,
    },
    agent_result: { ...s.usage, rollout_details: null, metadata: null },
    verifier_result: s.rewards && status === 'completed' ? { rewards: s.rewards } : null,
    verifier_environment_mode: identity.verifier_environment_mode,
    exception_info: first ? withTrace(first) : null,
    started_at: s.started_at,
    finished_at: finishedAt,
    environment_setup: s.phases.environment ?? null,
    agent_setup: s.phases.agent_setup ?? null,
    agent_execution: s.phases.agent ?? null,
    verifier: s.phases.verifier ?? null,
    step_results: stepResultsOf(s.steps, withTrace),
    task_dir: s.task_dir,
    attempt: s.attempt,
    status,
    reward,
    passed: reward !== null && reward >= 1,
    tests: s.tests,
    tests_passed: s.tests.filter((t) => t.status === 'passed').length,
    tests_total: s.tests.length,
    exceptions: s.exceptions.map(withTrace),
    run_config: runConfig,
    ...(s.strategy
      ? {
          multi_step: {
            strategy: s.strategy,
            total: s.steps.total,
            ran: s.steps.steps.length,
            stopped: s.steps.stopped,
          },
        }
      : {}),
  };
}

/** Harbor's ModelInfo: `provider/name` splits; a bare name has no provider. */
export function modelInfoOf(model: string): { name: string; provider: string | null } {
  const slash = model.indexOf('/');
  return slash > 0
    ? { name: model.slice(slash + 1), provider: model.slice(0, slash) }
    : { name: model, provider: null };
}

/** The exception that decided a trial's status (the first fatal one), else Harbor's exception_info. */
export function decidingException(t: Pick<TrialResult, 'exceptions' | 'exception_info'>): ExceptionInfo | null {
  return t.exceptions.find((x) => x.fatal && !x.retried) ?? t.exception_info;
}
