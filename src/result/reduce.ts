// Events -> TrialResult, as a pure fold (README "Results"). The runner feeds
// its own events through this; anything else (tests, aggregation of events.jsonl) can too.
// Output lines are ignored here, so memory does not grow with what the agent prints.
import type { Phase, TestCase, TrialEvent } from '../events.js';
import type { ExceptionInfo, TimingInfo, TrialResult, TrialStatus } from '../trial-result.js';

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
  };
}

export function applyEvent(s: TrialState, e: TrialEvent): TrialState {
  switch (e.type) {
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
    case 'phase_start':
      return { ...s, phases: { ...s.phases, [e.phase]: { started_at: e.at, finished_at: null } } };
    case 'phase_end': {
      const started = s.phases[e.phase]?.started_at ?? e.at;
      return { ...s, phases: { ...s.phases, [e.phase]: { started_at: started, finished_at: e.at } } };
    }
    case 'agent_usage':
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
      return { ...s, rewards: e.rewards, reward: e.reward, tests: e.tests };
    case 'error': {
      const info: ExceptionInfo = {
        exception_type: e.exception_type,
        exception_message: e.message,
        occurred_at: e.at,
        ...(e.phase ? { phase: e.phase } : {}),
        ...(e.kind ? { kind: e.kind } : {}),
      };
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

export function finalize(s: TrialState, finishedAt: string, config: Record<string, unknown>): TrialResult {
  const status = statusOf(s);
  const exception_info = status === 'completed' ? (s.exceptions[0] ?? null) : (s.fatal ?? s.exceptions.at(-1) ?? null);
  const reward = status === 'completed' ? s.reward : null;
  return {
    task_name: s.task_name,
    trial_name: s.trial_name,
    task_dir: s.task_dir,
    attempt: s.attempt,
    status,
    reward,
    passed: reward !== null && reward >= 1,
    tests: s.tests,
    tests_passed: s.tests.filter((t) => t.status === 'passed').length,
    tests_total: s.tests.length,
    agent_info: {
      name: s.agent.name,
      version: s.agent.version,
      model_info: s.agent.model ? { name: s.agent.model, provider: providerOf(s.agent.model) } : null,
    },
    agent_result: s.usage,
    verifier_result: s.rewards && status === 'completed' ? { rewards: s.rewards } : null,
    exception_info,
    exceptions: s.exceptions,
    started_at: s.started_at,
    finished_at: finishedAt,
    environment_setup: s.phases.environment ?? null,
    agent_setup: s.phases.agent_setup ?? null,
    agent_execution: s.phases.agent ?? null,
    verifier: s.phases.verifier ?? null,
    config,
  };
}

function providerOf(model: string): string | null {
  if (model.includes('/')) return model.split('/')[0];
  return /^claude|^(opus|sonnet|haiku)/i.test(model) ? 'anthropic' : null;
}
