// An agent can leave its container unusable for the verifier in shared mode: a fork bomb
// holding every process id up to the pids limit (then the verifier's exec cannot start,
// or crawls for minutes against thousands of busy shells), or its init killed at the
// memory limit. The files the agent made are what the verifier checks, so the container
// is restarted (every process goes, the file system stays) and the trial says so.
import type { DockerCli } from '../docker/cli.js';

/** At this share of the pids limit the container counts as taken over (no real task
 * leaves thousands of processes; a bomb refills whatever a kill frees within moments). */
const NEAR_LIMIT = 0.5;

/** Processes in the container, from the host (`docker top` needs no pid inside it). */
export async function processCount(docker: DockerCli, name: string): Promise<number> {
  const res = await docker.call(['top', name, '-o', 'pid'], { timeoutMs: 30_000 });
  return res.exitCode === 0 ? Math.max(0, res.stdout.trim().split('\n').length - 1) : -1;
}

/** After a failed or timed-out agent: a warning when the container had to be restarted. */
export async function recoverIfTakenOver(
  docker: DockerCli,
  name: string,
  pidsLimit: number,
  signal: AbortSignal,
): Promise<string | undefined> {
  const n = await processCount(docker, name);
  if (n < pidsLimit * NEAR_LIMIT) return undefined;
  await restart(docker, name, signal);
  return `the agent left ${n} processes in the task container (pids limit ${pidsLimit}); it was restarted before verification, so processes the agent left are gone`;
}

export async function restart(docker: DockerCli, name: string, signal: AbortSignal): Promise<void> {
  await docker.ok(['restart', '--time', '1', name], { signal, timeoutMs: 60_000 }, 'ContainerExecError');
}
