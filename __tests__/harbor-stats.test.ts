// Harbor's JobResult stats, names and leaderboard rules, computed as Harbor computes them: the
// recorded Harbor job (written by Harbor v0.22's own models and stats code) is the oracle.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { collectTrials } from '../src/result/collect.js';
import { eligibleK, harborPassAtK, harborStats, meanMetric, pythonNumberKey } from '../src/result/harbor-stats.js';
import { leaderboardCheck, overridesOf } from '../src/result/leaderboard.js';
import type { TrialResult } from '../src/trial-result.js';
import { trialConfigOf, trialNameFor } from '../src/trial/harbor-config.js';
import { TEST_SHAPE } from './helpers/identity.js';

const fixture = path.join(import.meta.dirname, 'fixtures', 'harbor-job');
const sortLists = (x: unknown): unknown =>
  Array.isArray(x)
    ? [...x].map(sortLists).sort()
    : x && typeof x === 'object'
      ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, sortLists(v)]))
      : x;

test("the stats of Harbor's own job result, recomputed from its trials", async () => {
  const { trials, problems } = await collectTrials([fixture]);
  expect(problems).toEqual([]);
  const harbor = JSON.parse(readFileSync(path.join(fixture, 'result.json'), 'utf8')) as {
    n_total_trials: number;
    stats: Record<string, unknown>;
  };
  const ours = harborStats(trials, { n_total_trials: harbor.n_total_trials });
  // Float sums depend on the order trials are added in (Harbor's is completion order).
  expect(ours.cost_usd).toBeCloseTo(harbor.stats.cost_usd as number, 12);
  expect(sortLists({ ...ours, cost_usd: 0 })).toEqual(sortLists({ ...harbor.stats, cost_usd: 0 }));
});

const trial = (task: string, n: number, reward: number | null, over: Partial<TrialResult> = {}): TrialResult =>
  ({
    task_name: task,
    trial_name: `${task}__${n}`,
    agent_info: { name: 'a', version: '1', model_info: { name: 'm', provider: 'p' } },
    agent_result: { n_input_tokens: null, n_cache_tokens: null, n_output_tokens: null, cost_usd: null },
    verifier_result: reward === null ? null : { rewards: { reward } },
    exception_info: null,
    exceptions: [],
    ...over,
  }) as TrialResult;

test("Harbor's pass@k: k in 2,4,8… and 5,10… up to the fewest trials per task; {} for non-binary rewards", () => {
  expect(eligibleK(1)).toEqual([]);
  expect(eligibleK(5)).toEqual([2, 4, 5]);
  expect(eligibleK(16)).toEqual([2, 4, 5, 8, 10, 15, 16]);
  const five = [1, 0, 0, 0, 0].map((r, i) => trial('x', i, r));
  const six = [1, 1, 0, 0, 0, null].map((r, i) => trial('y', i, r));
  const p = harborPassAtK([...five, ...six]);
  expect(Object.keys(p)).toEqual(['2', '4', '5']);
  // x: 1 - C(4,2)/C(5,2) = 0.4; y: 1 - C(4,2)/C(6,2) = 0.6
  expect(p['2']).toBeCloseTo(0.5, 12);
  expect(harborPassAtK([trial('x', 1, 0.5), trial('x', 2, 1)])).toEqual({});
  expect(harborPassAtK([trial('x', 1, 1)])).toEqual({});
});

test("Harbor's meanings: errored trials are completed, an exception counts even when the trial scored", () => {
  const timeout = {
    exception_type: 'AgentTimeoutError',
    exception_message: 't',
    occurred_at: '2026-01-01T00:00:00Z',
  };
  const cancelled = { ...timeout, exception_type: 'CancelledError' };
  const s = harborStats(
    [
      trial('x', 1, 0, { exception_info: timeout }),
      trial('x', 2, null, { exception_info: cancelled }),
      trial('y', 1, 1, {
        agent_result: {
          n_input_tokens: 10,
          n_cache_tokens: 4,
          n_output_tokens: 2,
          cost_usd: 0.5,
          cost_estimated: false,
        },
      }),
    ],
    { n_total_trials: 5, n_running_trials: 1 },
  );
  expect(s).toMatchObject({
    n_completed_trials: 3,
    n_errored_trials: 2,
    n_cancelled_trials: 1,
    n_running_trials: 1,
    n_pending_trials: 1,
    n_input_tokens: 10,
    n_cache_tokens: 4,
    cost_usd: 0.5,
  });
  expect(s.evals['a__m__adhoc']).toMatchObject({
    n_trials: 2,
    n_errors: 2,
    metrics: [{ mean: 1 / 3 }],
    reward_stats: { reward: { '0.0': ['x__1'], '1.0': ['y__1'] } },
    exception_stats: { AgentTimeoutError: ['x__1'], CancelledError: ['x__2'] },
  });
  expect(harborStats([], { n_total_trials: 0 })).toMatchObject({ n_input_tokens: null, cost_usd: null, evals: {} });
});

test("Harbor's Mean: one key is {mean}, several keys a mean each, a missing reward counts 0", () => {
  expect(meanMetric([{ reward: 1 }, null, { reward: 0.5 }])).toEqual({ mean: 0.5 });
  expect(meanMetric([{ a: 1, b: 0 }, { a: 0 }, null])).toEqual({ a: 1 / 3, b: 0 });
  expect([1, 0, 0.25, 1e-7, -3].map(pythonNumberKey)).toEqual(['1.0', '0.0', '0.25', '1e-07', '-3.0']);
});

test("Harbor's trial names: the task name's last part, 32 characters, trailing _- stripped, __, 7 shortuuid characters", () => {
  expect(trialNameFor('org/hello-world')).toMatch(/^hello-world__[2-9A-HJ-NP-Za-km-z]{7}$/);
  const long = trialNameFor('a-very-long-task-name-that-is-cut-after-32');
  expect(long.split('__')[0]).toBe('a-very-long-task-name-that-is-cu');
  expect(trialNameFor('abcdefghijklmnopqrstuvwxyz01234_-tail').split('__')[0]).toBe('abcdefghijklmnopqrstuvwxyz01234');
  expect(new Set(Array.from({ length: 50 }, () => trialNameFor('t'))).size).toBe(50);
});

test('the leaderboard check names what breaks its rules', () => {
  const cfg = trialConfigOf({ ...TEST_SHAPE, agentTimeoutSec: 30 }, '/t', 't__1');
  expect(overridesOf(cfg)).toEqual(['agent.override_timeout_sec 30']);
  expect(overridesOf(trialConfigOf(TEST_SHAPE, '/t', 't__1'))).toEqual([]);
  const five = Array.from({ length: 5 }, (_, i) => trial('x', i, 1, { config: trialConfigOf(TEST_SHAPE, '/t', 'x') }));
  expect(leaderboardCheck(five)).toEqual({ eligible: true, problems: [] });
  const bad = leaderboardCheck([...five.slice(1), trial('x', 9, 1, { config: cfg })]);
  expect(bad.eligible).toBe(false);
  expect(bad.problems).toEqual(['timeout or resource overrides: agent.override_timeout_sec 30']);
  expect(leaderboardCheck(five.slice(0, 2)).problems).toEqual(['fewer than 5 trials per task: x (2)']);
});
