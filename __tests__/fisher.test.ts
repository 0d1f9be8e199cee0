// Fisher's exact test against known values. Each expected p-value was computed with SciPy
// 1.17.1 (`scipy.stats.fisher_exact([[a, n-a], [b, m-b]], alternative=...)`, the same
// tails as R's `fisher.test(..., alternative = "less"/"greater")`); the small ones are also
// checked by hand from the hypergeometric sums in the comments.
import { fisherOneSided, smallestPValue } from '../src/result/fisher.js';

// [now passed, now trials, before passed, before trials, p "less", p "greater"]
const KNOWN: Array<[number, number, number, number, number, number]> = [
  // 0/3 vs 3/3: P(X=0) = C(3,0)C(3,3)/C(6,3) = 1/20.
  [0, 3, 3, 3, 0.05, 1],
  // 1/3 vs 3/3: 4 passes in all, so X >= 1: P(X<=1) = P(X=1) = C(3,1)C(3,3)/C(6,4) = 3/15 = 0.2.
  [1, 3, 3, 3, 0.2, 1],
  // 0/1 vs 1/1: 1/C(2,1) = 0.5.
  [0, 1, 1, 1, 0.5, 1],
  // 0/2 vs 2/2: 1/C(4,2) = 1/6.
  [0, 2, 2, 2, 1 / 6, 1],
  [2, 10, 9, 10, 0.002738747320790664, 0.9999404620147654],
  [6, 10, 10, 10, 0.04334365325077399, 1],
  [3, 5, 5, 5, 0.22222222222222224, 1],
  [5, 5, 2, 5, 1, 0.08333333333333333],
  [12, 20, 19, 20, 0.009828009828009828, 0.9993857493857494],
  [45, 100, 60, 100, 0.023582742691509655, 0.9883816500328609],
  // 1/4 vs 4/4: X >= 1, so P(X<=1) = P(X=1) = C(4,1)C(4,4)/C(8,5) = 4/56 = 0.0714.
  [1, 4, 4, 4, 0.07142857142857142, 1],
  // Unequal sizes: 0/1 vs 3/3: 1/C(4,1) = 0.25.
  [0, 1, 3, 3, 0.25, 1],
];

describe("Fisher's exact test, one-sided", () => {
  test.each(KNOWN)('now %i/%i, before %i/%i: less %d, greater %d', (a, n, b, m, less, greater) => {
    const t = { aPassed: a, aTrials: n, bPassed: b, bTrials: m };
    expect(fisherOneSided(t, 'less')).toBeCloseTo(less, 12);
    expect(fisherOneSided(t, 'greater')).toBeCloseTo(greater, 12);
  });

  test('the two tails of one table overlap in exactly the observed table', () => {
    const t = { aPassed: 4, aTrials: 9, bPassed: 6, bTrials: 8 };
    // P(X<=4) + P(X>=4) = 1 + P(X=4)
    const pAt4 = fisherOneSided(t, 'less') + fisherOneSided(t, 'greater') - 1;
    expect(pAt4).toBeGreaterThan(0);
    expect(pAt4).toBeLessThan(1);
  });

  test('1000 attempts a side: no overflow, a tiny p for 40% against 60%', () => {
    const p = fisherOneSided({ aPassed: 400, aTrials: 1000, bPassed: 600, bTrials: 1000 }, 'less');
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-15);
  });

  test('the smallest reachable p: 1 / C(n+m, m)', () => {
    expect(smallestPValue(1, 1)).toBeCloseTo(0.5, 12);
    expect(smallestPValue(2, 2)).toBeCloseTo(1 / 6, 12);
    expect(smallestPValue(3, 3)).toBeCloseTo(0.05, 12);
    expect(smallestPValue(5, 5)).toBeCloseTo(1 / 252, 12);
    expect(smallestPValue(1, 3)).toBeCloseTo(0.25, 12);
  });

  test('counts that cannot be a table are refused with a RangeError', () => {
    expect(() => fisherOneSided({ aPassed: 3, aTrials: 2, bPassed: 0, bTrials: 1 }, 'less')).toThrow(RangeError);
    expect(() => fisherOneSided({ aPassed: 1.5, aTrials: 2, bPassed: 0, bTrials: 1 }, 'less')).toThrow(/whole/);
  });
});
