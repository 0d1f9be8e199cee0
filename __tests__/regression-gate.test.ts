// The noise-aware regression gate's decision table: per task the pass counts now and before,
// Fisher's one-sided p-value, and what --fail-on-regressions decides (baseline.ts, exit-code.ts),
// and the summary's words for it (baseline-markdown.ts).
import { diffAgainstBaseline, type BaselineJob } from '../src/result/baseline.js';
import { EXIT, regressionGate } from '../src/result/exit-code.js';
import { gateLine, renderBaselineDiff } from '../src/report/baseline-markdown.js';

const job = (...tasks: Array<[string, number, number]>): BaselineJob => ({
  mean_reward: 0,
  tasks: tasks.map(([task_name, n_passed, n_trials]) => ({
    task_name,
    n_passed,
    n_trials,
    mean_reward: n_passed / n_trials,
  })),
});
const one = (now: [number, number], before: [number, number], alpha = 0.05) => {
  const d = diffAgainstBaseline(job(['t', ...now]), job(['t', ...before]), alpha);
  return { d, c: d.changes[0] };
};

// [now passed/trials, before passed/trials, alpha, kind, anecdotal, fails the gate]
const TABLE: Array<[[number, number], [number, number], number, string, boolean, boolean]> = [
  // k = 1: the smallest p is 0.5: anecdotal, today's rule (passed before, fails now) decides.
  [[0, 1], [1, 1], 0.05, 'regression', true, true],
  [[1, 1], [1, 1], 0.05, 'same', true, false],
  [[1, 1], [0, 1], 0.05, 'fix', true, false],
  // k = 2: smallest p 1/6, still anecdotal at 0.05, but not at 0.2.
  [[0, 2], [2, 2], 0.05, 'regression', true, true],
  [[0, 2], [2, 2], 0.2, 'regression', false, true],
  // k = 3: 0/3 against 3/3 is p = 0.05 exactly: significant at 0.05 (p <= alpha).
  [[0, 3], [3, 3], 0.05, 'regression', false, true],
  // k = 3: 1/3 against 2/3 flips "passes" (at least half) but p = 0.5: noise, no failure.
  [[1, 3], [2, 3], 0.05, 'regression', false, false],
  // k = 10: 6/10 against 10/10 still "passes" by the half rule, yet p = 0.043: it fails.
  [[6, 10], [10, 10], 0.05, 'worse', false, true],
  // ... and at alpha 0.01 it does not.
  [[6, 10], [10, 10], 0.01, 'worse', false, false],
  // k = 10: 4/10 against 6/10, p = 0.33: not significant.
  [[4, 10], [6, 10], 0.05, 'regression', false, false],
  // k = 10, a significant fix never fails the gate.
  [[10, 10], [2, 10], 0.05, 'fix', false, false],
];

describe('regression gate decision table', () => {
  test.each(TABLE)('now %j before %j alpha %d: %s, anecdotal %s, fails %s', (now, before, alpha, kind, anec, fails) => {
    const { d, c } = one(now, before, alpha);
    expect(c).toMatchObject({ kind, anecdotal: anec, gating: fails });
    expect(c).toMatchObject({
      passed_now: now[0],
      trials_now: now[1],
      passed_before: before[0],
      trials_before: before[1],
    });
    expect(d.gate_failures).toBe(fails ? 1 : 0);
    expect(regressionGate(EXIT.ok, d, true)).toBe(fails ? EXIT.failed : EXIT.ok);
    // Without --fail-on-regressions nothing fails, and a worse status is never softened.
    expect(regressionGate(EXIT.ok, d, false)).toBe(EXIT.ok);
    expect(regressionGate(EXIT.infra, d, true)).toBe(EXIT.infra);
  });

  test('p-values: in the direction of the change, 1 when the pass rate is the same', () => {
    expect(one([6, 10], [10, 10]).c.p_value).toBeCloseTo(0.04334365325077399, 12);
    expect(one([10, 10], [2, 10]).c.p_value).toBeCloseTo(0.000357227911407478, 12); // SciPy, alternative='greater';
    expect(one([5, 10], [5, 10]).c.p_value).toBe(1);
  });

  test('no baseline: the gate has nothing to fail on', () => {
    expect(regressionGate(EXIT.ok, undefined, true)).toBe(EXIT.ok);
  });

  test('what fails the gate comes first, even a "worse" task before a noisy regression', () => {
    const d = diffAgainstBaseline(job(['noisy', 1, 3], ['sure', 6, 10]), job(['noisy', 2, 3], ['sure', 10, 10]), 0.05);
    expect(d.changes.map((c) => [c.task_name, c.gating])).toEqual([
      ['sure', true],
      ['noisy', false],
    ]);
    expect(d).toMatchObject({ regressions: 1, gate_failures: 1, anecdotal: 0, alpha: 0.05 });
  });

  test('summary: pass counts, p-values and the gate line; k = 1 says the comparison is anecdotal', () => {
    const k1 = diffAgainstBaseline(job(['a', 0, 1], ['b', 1, 1]), job(['a', 1, 1], ['b', 1, 1]), 0.05);
    const md = renderBaselineDiff(k1, 'main');
    expect(md).toContain('**1 task(s) fail it**');
    expect(md).toContain('The comparison is anecdotal: too few attempts for any p-value to reach 0.05');
    expect(md).toMatch(/\| 🔴 newly failing ⛔ \| a \| 1\/1 \| 0\/1 \| 0\.5 \|/);
    const k10 = diffAgainstBaseline(job(['a', 6, 10]), job(['a', 10, 10]), 0.05);
    const md10 = renderBaselineDiff(k10, 'main');
    expect(md10).not.toContain('anecdotal');
    expect(md10).toMatch(/\| 🟠 lower reward ⛔ \| a \| 10\/10 \| 6\/10 \| \*\*0\.043\*\* \|/);
    const mixed = diffAgainstBaseline(job(['a', 0, 1], ['b', 6, 10]), job(['a', 1, 1], ['b', 10, 10]), 0.05);
    expect(gateLine(mixed)).toContain('1 task(s) are anecdotal');
  });
});
