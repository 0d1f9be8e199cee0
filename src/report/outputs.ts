// Step outputs (action.yml `outputs:`) and the one-line reason a step failed, both derived
// from the job's results. Pure: the entry hands the map to core.setOutput.
// With several trials: reward is the mean (errored trials count 0), passed means every
// trial was solved, tests and cost are sums, status is the most severe.
import { EXIT } from '../result/exit-code.js';
import type { JobResult } from '../result/job.js';
import type { TrialResult } from '../trial-result.js';
import { decidingException } from '../result/reduce.js';

export type StepOutputs = Record<
  | 'reward'
  | 'status'
  | 'passed'
  | 'tests-passed'
  | 'tests-total'
  | 'cost-usd'
  | 'result-path'
  | 'output-dir'
  | 'trials',
  string
>;

export function stepOutputs(
  job: JobResult,
  trials: TrialResult[],
  paths: { jobResultPath: string; outputDir: string },
): StepOutputs {
  const one = trials.length === 1 ? trials[0] : undefined;
  const status = trials.some((t) => t.status === 'cancelled')
    ? 'cancelled'
    : trials.some((t) => t.status === 'error') || trials.length === 0
      ? 'error'
      : 'completed';
  const reward = one ? one.reward : trials.length ? job.mean_reward : null;
  const costs = trials.map((t) => t.agent_result.cost_usd).filter((c): c is number => c !== null);
  return {
    reward: reward === null ? '' : String(+reward.toFixed(6)),
    status,
    passed: String(trials.length > 0 && trials.every((t) => t.passed)),
    'tests-passed': String(trials.reduce((a, t) => a + t.tests_passed, 0)),
    'tests-total': String(trials.reduce((a, t) => a + t.tests_total, 0)),
    'cost-usd': costs.length ? String(+costs.reduce((a, b) => a + b, 0).toFixed(6)) : '',
    'result-path': paths.jobResultPath,
    'output-dir': paths.outputDir,
    trials: String(trials.length),
  };
}

/** Why the step fails for this exit status (exit-code.ts), or undefined when it passes. */
export function failureMessage(code: number, trials: TrialResult[], minReward?: number): string | undefined {
  if (code === EXIT.ok) return undefined;
  if (code === EXIT.sigint || code === EXIT.sigterm)
    return `cancelled by ${code === EXIT.sigterm ? 'SIGTERM' : 'SIGINT'}; containers removed, partial results written`;
  const errored = trials.filter((t) => t.status === 'error');
  const describe = (t: TrialResult) => {
    const x = decidingException(t);
    return `${t.task_name}: ${x?.exception_type ?? 'error'}: ${x?.exception_message ?? 'no reward'}`;
  };
  if (code === EXIT.infra)
    return `infrastructure error — ${describe(errored.find((t) => t.exception_info) ?? errored[0])}`;
  if (code === EXIT.usage) return errored.length ? `invalid task — ${describe(errored[0])}` : 'no task to run';
  if (errored.length) return `${errored.length} of ${trials.length} trial(s) ended in error — ${describe(errored[0])}`;
  const below = trials.filter(
    (t) => t.status === 'completed' && minReward !== undefined && (t.reward ?? 0) < minReward,
  );
  if (below.length)
    return `${below.length} of ${trials.length} trial(s) scored below min-reward ${minReward} (${below[0].task_name}: reward ${below[0].reward})`;
  return `${trials.length - trials.filter((t) => t.status === 'completed').length} trial(s) did not complete`;
}
