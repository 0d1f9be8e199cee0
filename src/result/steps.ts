// Multi-step rewards, as Harbor v0.22 computes them (src/harbor/trial/multi_step.py):
// "mean" (the default) is, per reward key, the mean over the steps that produced a verifier
// result (a key a step lacks counts 0; steps without a result are left out); "final" is the
// last step's. A step's min_reward (a number gates `reward`, a table each key it names; a
// missing key or result counts -inf) not met ends the trial after that step. Pure.

export type Rewards = Record<string, number>;

export function aggregateStepRewards(strategy: 'mean' | 'final', steps: ReadonlyArray<Rewards | null>): Rewards | null {
  if (!steps.length) return null;
  if (strategy === 'final') return steps.at(-1) ?? null;
  const valid = steps.filter((r): r is Rewards => r !== null);
  const keys = [...new Set(valid.flatMap((r) => Object.keys(r)))].sort();
  if (!keys.length) return null;
  return Object.fromEntries(keys.map((k) => [k, valid.reduce((sum, r) => sum + (r[k] ?? 0), 0) / valid.length]));
}

/** Why a step's rewards miss its min_reward ("reward=0 below min_reward 1"), or undefined. */
export function minRewardFailure(rewards: Rewards | null, min: number | Rewards | undefined): string | undefined {
  if (min === undefined) return undefined;
  const thresholds = typeof min === 'number' ? { reward: min } : min;
  for (const [key, threshold] of Object.entries(thresholds)) {
    const actual = rewards?.[key] ?? -Infinity;
    if (actual < threshold) return `${key}=${actual === -Infinity ? 'missing' : actual} below min_reward ${threshold}`;
  }
  return undefined;
}

/** The one number a trial reports: `reward` if present, else the mean of the keys (reward.ts's rule). */
export function headlineReward(rewards: Rewards): number {
  if ('reward' in rewards) return rewards.reward;
  const values = Object.values(rewards);
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}
