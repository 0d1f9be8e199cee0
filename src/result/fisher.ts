// Fisher's exact test on a 2x2 table of pass counts (now vs before), one-sided, for the
// noise-aware regression gate (baseline.ts). With the margins fixed, the passes of "now"
// follow a hypergeometric law; the one-sided p-value is its tail, as R's
// `fisher.test(matrix(c(a, c, b, d), 2), alternative = "less" | "greater")` computes it
// (https://stat.ethz.ch/R-manual/R-devel/library/stats/html/fisher.test.html). Pure.

/** log C(n, k), summed in logs so 1000 attempts do not overflow. */
function logChoose(n: number, k: number): number {
  if (k < 0 || k > n) return -Infinity;
  const m = Math.min(k, n - k);
  let s = 0;
  for (let i = 1; i <= m; i++) s += Math.log(n - m + i) - Math.log(i);
  return s;
}

/** One table: `aPassed` of `aTrials` passed now, `bPassed` of `bTrials` passed before. */
export interface PassCounts {
  aPassed: number;
  aTrials: number;
  bPassed: number;
  bTrials: number;
}

function check({ aPassed, aTrials, bPassed, bTrials }: PassCounts): void {
  for (const [name, x] of Object.entries({ aPassed, aTrials, bPassed, bTrials }))
    if (!Number.isInteger(x) || x < 0) throw new RangeError(`fisher: ${name} must be a whole number >= 0, got ${x}`);
  if (aPassed > aTrials || bPassed > bTrials) throw new RangeError('fisher: more passes than trials');
}

/** P(X = x) for the passes X of "now", given both row sizes and the total of passes. */
function pmf(x: number, t: PassCounts, passes: number): number {
  const n = t.aTrials + t.bTrials;
  return Math.exp(logChoose(t.aTrials, x) + logChoose(t.bTrials, passes - x) - logChoose(n, passes));
}

/**
 * One-sided p-value. `less`: that "now" passes less often than "before" (a regression),
 * P(X <= aPassed); `greater`: more often (a fix), P(X >= aPassed).
 */
export function fisherOneSided(t: PassCounts, alternative: 'less' | 'greater'): number {
  check(t);
  const passes = t.aPassed + t.bPassed;
  const lo = Math.max(0, passes - t.bTrials);
  const hi = Math.min(t.aTrials, passes);
  let p = 0;
  if (alternative === 'less') for (let x = lo; x <= t.aPassed; x++) p += pmf(x, t, passes);
  else for (let x = t.aPassed; x <= hi; x++) p += pmf(x, t, passes);
  return Math.min(1, p);
}

/**
 * The smallest one-sided p-value any outcome can reach with these numbers of trials: every
 * trial passing before and none now, 1 / C(aTrials + bTrials, bTrials). One attempt each
 * gives 0.5, two give 1/6, three give 1/20 = 0.05: below that the test can never reject at
 * alpha = 0.05, and a comparison is anecdotal.
 */
export function smallestPValue(aTrials: number, bTrials: number): number {
  return Math.exp(-logChoose(aTrials + bTrials, bTrials));
}
