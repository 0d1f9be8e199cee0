// Exit status (README "Exit status"), shared by the action and the CLI. Pure.
import type { TrialResult } from '../trial-result.js';
import type { BaselineDiff } from './baseline.js';
import { decidingException } from './reduce.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, infra: 3, sigint: 130, sigterm: 143 } as const;

/** Whether one trial meets the user's gate: any completed trial, or reward >= minReward. */
export function meetsThreshold(t: TrialResult, minReward?: number): boolean {
  if (t.status !== 'completed') return false;
  return minReward === undefined || (t.reward ?? 0) >= minReward;
}

function trialCode(t: TrialResult, minReward?: number): number {
  if (t.status === 'cancelled') {
    const sig = t.exceptions.find((x) => x.exception_type === 'CancelledError')?.exception_message ?? '';
    return sig.includes('SIGTERM') ? EXIT.sigterm : EXIT.sigint;
  }
  // The error that decided an errored trial carries its kind (errors.ts): Docker and the
  // harness are infrastructure (3), a task that failed validation is bad usage (2).
  const kind = t.status === 'error' ? decidingException(t)?.kind : undefined;
  if (kind === 'infra') return EXIT.infra;
  if (kind === 'validation') return EXIT.usage;
  return meetsThreshold(t, minReward) ? EXIT.ok : EXIT.failed;
}

/** The most severe applies: cancelled, then infra (3), then failed (1); 2 only when nothing valid ran. */
export function exitCodeOf(trials: TrialResult[], minReward?: number): number {
  const codes = trials.map((t) => trialCode(t, minReward));
  if (codes.length === 0) return EXIT.usage;
  for (const c of [EXIT.sigterm, EXIT.sigint, EXIT.infra]) if (codes.includes(c)) return c;
  if (codes.every((c) => c === EXIT.usage)) return EXIT.usage;
  return codes.some((c) => c !== EXIT.ok) ? EXIT.failed : EXIT.ok;
}

/**
 * The regression gate on top of an exit status: 1 when asked to fail on regressions and a
 * task fails the gate (baseline.ts: significant, or plain when anecdotal); a worse status stays.
 */
export function regressionGate(
  code: number,
  diff: Pick<BaselineDiff, 'gate_failures'> | undefined,
  fail: boolean,
): number {
  return code === EXIT.ok && fail && (diff?.gate_failures ?? 0) > 0 ? EXIT.failed : code;
}
