// An agent can leave its container unusable for the verifier in shared mode: a fork bomb
// holding every process id up to the pids limit (then the verifier's exec cannot start,
// or crawls for minutes against thousands of busy shells), or its init killed at the
// memory limit. The files the agent made are what the verifier checks, so the container
// is restarted (every process goes, the file system stays) and the trial says so.
import type { Environment } from '../environment/types.js';

/** At this share of the pids limit the container counts as taken over (no real task
 * leaves thousands of processes; a bomb refills whatever a kill frees within moments). */
const NEAR_LIMIT = 0.5;

/** After a failed or timed-out agent: a warning when the container had to be restarted. */
export async function recoverIfTakenOver(
  env: Environment,
  pidsLimit: number,
  signal: AbortSignal,
): Promise<string | undefined> {
  const n = await env.processCount();
  if (n < pidsLimit * NEAR_LIMIT) return undefined;
  await env.restart(signal);
  return `the agent left ${n} processes in the task container (pids limit ${pidsLimit}); it was restarted before verification, so processes the agent left are gone`;
}
