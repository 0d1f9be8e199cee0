// Expected duration of one attempt of each task, for `tb2 plan` (issue 16): the task's
// median trial duration in the baseline, matched by name (a trial's `task_name` against
// the task's name, else its folder's name, else the last part of an "org/name"); a task
// without history, or one that fails validation, gets the median of the tasks with
// history, else its `[agent] timeout_sec`. Without a baseline every task gets its timeout.
// Pure.

export type EstimateSource = 'baseline' | 'median' | 'timeout';

export interface EstimateInput {
  name: string;
  folder: string;
  agentTimeoutSec: number;
  /** Fails validation: estimated like a task without history. */
  broken?: boolean;
}

export interface Estimate {
  sec: number;
  source: EstimateSource;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const lastPart = (name: string) => name.split('/').at(-1) ?? name;

/** `history`: median seconds per trial task_name (result/durations.ts medianDurations). */
export function estimateAttempts(tasks: readonly EstimateInput[], history?: ReadonlyMap<string, number>): Estimate[] {
  // "org/name" in one place and "name" in the other still match, when only one task has that last part.
  const byLast = new Map<string, number | null>();
  for (const [name, sec] of history ?? []) byLast.set(lastPart(name), byLast.has(lastPart(name)) ? null : sec);
  const known = tasks.map((t) =>
    t.broken || !history
      ? undefined
      : (history.get(t.name) ?? history.get(t.folder) ?? byLast.get(lastPart(t.name)) ?? undefined),
  );
  const withHistory = known.filter((s): s is number => s !== undefined);
  const fallback = withHistory.length > 0 ? median(withHistory) : undefined;
  return tasks.map((t, i) => {
    const sec = known[i];
    if (sec !== undefined) return { sec, source: 'baseline' };
    if (fallback !== undefined) return { sec: fallback, source: 'median' };
    return { sec: t.agentTimeoutSec, source: 'timeout' };
  });
}
