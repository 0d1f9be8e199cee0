// The verifier phase (LIFECYCLE steps 4-5): empty /logs/verifier (an agent must not be able
// to pre-write its own reward), copy tests/ to /tests only now (the agent never sees them),
// run /tests/test.sh in the image WORKDIR with its output redirected to a file (never a
// pipe through tee), under the verifier timeout, then read the verdict from the files.
import path from 'node:path';
import { prepareFailed, runScript, type Environment } from '../environment/types.js';
import { CancelledError, InfraError, TrialError } from '../errors.js';
import type { Task } from '../task/load.js';
import { readVerdict, type Rewards } from './reward.js';
import { FileTail } from '../stream/file-tail.js';
import type { TestCase } from '../events.js';

export interface VerifyRequest {
  env: Environment;
  task: Task;
  verifierDir: string;
  timeoutSec: number;
  signal: AbortSignal;
  output: (line: string) => void;
  /** Lines of test-stdout.txt handed to the log at most; the file keeps everything. */
  maxLoggedBytes: number;
  /** `[verifier] user` (default: the image's USER) and `[environment] workdir`. */
  user?: string;
  cwd?: string;
  /** Called when test.sh ended on its own: the log folders were made writable after it. */
  onLogsOpened?: () => void;
}

const READY = 'tb2-verifier-ready';
const TEST_SH = '/tests/test.sh';
const CLEAR_LOGS =
  'rm -rf /logs/verifier/* /logs/verifier/.[!.]* /logs/verifier/..?* 2>/dev/null; mkdir -p /logs/verifier';
// Files written as root in the container stay removable by the runner's user; done here,
// in the verifier's own exec, rather than in one more exec at the end of the trial.
const OPEN_LOGS = 'chmod -R a+rwX /logs/agent /logs/verifier 2>/dev/null';

export type Verdict = Rewards & { tests: TestCase[]; ctrfError?: string };

export async function verify(r: VerifyRequest): Promise<Verdict> {
  const c = r.env;
  // tests/ goes in under a random name now and moves to /tests in the exec below, after
  // /tests and /logs/verifier are emptied: two docker calls where there were four.
  const staged = await c.stage(path.join(r.task.dir, 'tests'), r.signal);
  const env = r.task.config.verifierEnv;
  // chmod +x here, as root when `[verifier] user` is set: test.sh need not be executable.
  const prepare = `${CLEAR_LOGS} && rm -rf /tests && mv '${staged}' /tests && { chmod +x ${TEST_SH} 2>/dev/null || true; } && echo ${READY}`;
  // The tail starts once the folder was emptied, so it never follows a test-stdout.txt
  // the agent wrote beforehand.
  const tail = new FileTail(path.join(r.verifierDir, 'test-stdout.txt'), r.output, r.maxLoggedBytes);
  let tailing = false;
  const startTail = () => !tailing && ((tailing = true), tail.start());
  // `[verifier] user`: emptying and moving are root's work, in an exec of their own; the
  // default user does both in the verifier's exec.
  const asUser = r.user !== undefined;
  if (asUser) {
    const prep = await c.exec(prepare, { user: '0', timeoutMs: 60_000, signal: r.signal });
    if (prep.aborted) throw CancelledError.of(r.signal);
    if (prep.exitCode !== 0) throw prepareError(prep.stderrTail);
    startTail();
  }
  let res;
  try {
    res = await c.exec(`${runScript(TEST_SH)}; s=$?; ${OPEN_LOGS}; exit $s`, {
      tag: 'verifier',
      prepare: asUser ? undefined : prepare,
      onLine: (line) => line === READY && startTail(),
      redirect: '/logs/verifier/test-stdout.txt',
      env,
      user: r.user,
      cwd: r.cwd,
      timeoutMs: r.timeoutSec * 1000,
      signal: r.signal,
    });
  } finally {
    if (tailing) await tail.stop();
  }
  if (res.aborted) throw CancelledError.of(r.signal);
  if (prepareFailed(res)) throw prepareError(res.stderrTail);
  // As another user, files the agent left as root may still be closed to the runner.
  if (!res.timedOut && !asUser) r.onLogsOpened?.();
  if (res.timedOut) {
    throw new TrialError(
      'VerifierTimeoutError',
      `tests/test.sh timed out after ${r.timeoutSec}s and was stopped (task.toml [verifier] timeout_sec)`,
    );
  }
  try {
    return await readVerdict(r.verifierDir);
  } catch (err) {
    if (res.exitCode !== 0) await assertRunning(c);
    if (err instanceof TrialError && res.exitCode !== 0) {
      throw new TrialError(
        err.exceptionType,
        `${err.message} (tests/test.sh exited with code ${res.exitCode}; see verifier/test-stdout.txt)`,
      );
    }
    throw err;
  }
}

function prepareError(stderr: string): InfraError {
  return new InfraError(
    'ContainerExecError',
    `could not empty /logs/verifier and put tests/ in /tests: ${stderr.trim().split('\n')[0]}`,
  );
}

/**
 * test.sh "failed" and left no reward: if Docker went away under it (daemon stopped,
 * container gone), that is an infrastructure fault, not the task's. Throws
 * DockerUnavailable from the client when the daemon is unreachable.
 */
async function assertRunning(c: Environment): Promise<void> {
  const state = await c.running();
  if (!state.running) {
    throw new InfraError('ContainerExecError', `the task container stopped while tests/test.sh ran (${state.why})`);
  }
}
