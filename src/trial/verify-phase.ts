// The verifier phase around verify(): where it runs (the agent's container, or a fresh one
// from a snapshot in isolated mode), room on the output disk for the verdict, and one
// recovery when the agent left its container unusable. The runner emits what it returns.
import type { Environment } from '../environment/types.js';
import { Tb2Error } from '../errors.js';
import type { Task } from '../task/load.js';
import { recoverIfTakenOver } from './recover.js';
import { ensureRoom } from './disk-full.js';
import { verify, type Verdict } from './verifier.js';

export interface VerifierPhaseInput {
  /** The environment the agent ran in. */
  env: Environment;
  /** Isolated mode: a fresh container from a snapshot of it (Environment.isolate). */
  isolate?: () => Promise<Environment>;
  task: Task;
  trialDir: string;
  verifierDir: string;
  timeoutSec: number;
  signal: AbortSignal;
  pidsLimit: number;
  maxLoggedBytes: number;
  output: (line: string) => void;
  onLogsOpened: () => void;
  /** A recorded, non-fatal problem of this phase. */
  warn: (exceptionType: string, message: string) => void;
  /** A step's merged tests folder; the separate verifier's image holds /tests itself. */
  testsDir?: string;
  skipTestsUpload?: boolean;
  /** Where test.sh runs when not the task's workdir (a separate verifier's own). */
  cwd?: string;
}

export async function runVerifierPhase(i: VerifierPhaseInput): Promise<Verdict> {
  const target = i.isolate ? await i.isolate() : i.env;
  // An agent that filled the output folder's disk must not cost the verdict.
  const room = await ensureRoom(i.trialDir);
  if (room) i.warn('OutputDiskFullError', room);
  const verifyIn = (env: Environment) =>
    verify({
      env,
      task: i.task,
      verifierDir: i.verifierDir,
      timeoutSec: i.timeoutSec,
      signal: i.signal,
      output: i.output,
      maxLoggedBytes: i.maxLoggedBytes,
      onLogsOpened: i.onLogsOpened,
      user: i.task.config.verifierUser,
      cwd: i.cwd ?? i.task.config.workdir,
      testsDir: i.testsDir,
      skipTestsUpload: i.skipTestsUpload,
    });
  try {
    return await verifyIn(target);
  } catch (err) {
    // An agent can leave its container unusable: a fork bomb at the pids limit, or its
    // init killed at the memory limit. Its files are what the verifier needs: restart
    // it (every process goes, the files stay) and verify once more, on the record.
    if (target !== i.env || i.signal.aborted || !(err instanceof Tb2Error)) throw err;
    const dead = err.exceptionType === 'ContainerExecError';
    const taken =
      !dead && err.kind === 'trial' && i.pidsLimit ? await recoverIfTakenOver(i.env, i.pidsLimit, i.signal) : undefined;
    if (!dead && !taken) throw err;
    i.warn(
      'ContainerUnusableError',
      `${err.message}; ${taken ?? 'the container was restarted (processes the agent left are gone)'}; verified again`,
    );
    if (dead) await i.env.restart(i.signal);
    return verifyIn(target);
  }
}
