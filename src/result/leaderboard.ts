// Does a job meet the TB2 leaderboard's submission rules (TB2.0: at least 5 trials per task,
// timeout_multiplier 1.0, no timeout or resource override)? The job result flags a run that
// breaks them, so nobody finds out at upload time. Rules: ../shared/HARBOR.md "Leaderboard",
// from https://github.com/laude-institute/terminal-bench-2-leaderboard. Pure.
import type { TrialResult } from '../trial-result.js';

export const LEADERBOARD_MIN_TRIALS = 5;
/** Agents that write no agent/trajectory.json (they have no model turns to record). */
const NO_TRAJECTORY = new Set(['oracle', 'command']);

export interface LeaderboardCheck {
  eligible: boolean;
  /** One line per broken rule, naming what broke it. */
  problems: string[];
}

type Cfg = Record<string, unknown> | undefined;
const section = (c: Cfg, key: string): Cfg => {
  const v = c?.[key];
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
};

/** The overrides one trial's Harbor TrialConfig records (names as Harbor spells them). */
export function overridesOf(config: Cfg): string[] {
  const out: string[] = [];
  const mult = config?.timeout_multiplier;
  if (typeof mult === 'number' && mult !== 1) out.push(`timeout_multiplier ${mult}`);
  const fields: Array<[string, string]> = [
    ['agent', 'override_timeout_sec'],
    ['agent', 'override_setup_timeout_sec'],
    ['agent', 'max_timeout_sec'],
    ['verifier', 'override_timeout_sec'],
    ['verifier', 'max_timeout_sec'],
    ['environment', 'override_cpus'],
    ['environment', 'override_memory_mb'],
    ['environment', 'override_storage_mb'],
    ['environment', 'override_gpus'],
  ];
  for (const [s, f] of fields) {
    const v = section(config, s)?.[f];
    if (v !== null && v !== undefined) out.push(`${s}.${f} ${JSON.stringify(v)}`);
  }
  return out;
}

export function leaderboardCheck(trials: readonly TrialResult[]): LeaderboardCheck {
  const problems: string[] = [];
  const perTask = new Map<string, number>();
  for (const t of trials) perTask.set(t.task_name, (perTask.get(t.task_name) ?? 0) + 1);
  const few = [...perTask].filter(([, n]) => n < LEADERBOARD_MIN_TRIALS);
  if (few.length)
    problems.push(
      `fewer than ${LEADERBOARD_MIN_TRIALS} trials per task: ${few
        .slice(0, 5)
        .map(([name, n]) => `${name} (${n})`)
        .join(', ')}${few.length > 5 ? ` and ${few.length - 5} more` : ''}`,
    );
  const overrides = new Set(trials.flatMap((t) => overridesOf(t.config)));
  if (overrides.size) problems.push(`timeout or resource overrides: ${[...overrides].join(', ')}`);
  // The leaderboard requires an ATIF trajectory for passing trials (since 2026-04-19).
  const silent = new Set(
    trials.filter((t) => t.passed && NO_TRAJECTORY.has(t.agent_info.name)).map((t) => t.agent_info.name),
  );
  if (silent.size) problems.push(`no ATIF trajectory for passing trials: agent ${[...silent].join(', ')} writes none`);
  if (trials.length === 0) problems.push('no trials');
  return { eligible: problems.length === 0, problems };
}
