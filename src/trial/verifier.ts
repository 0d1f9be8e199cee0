// The verifier phase (LIFECYCLE steps 4-5): empty /logs/verifier (an agent must not be able
// to pre-write its own reward), copy tests/ to /tests only now (the agent never sees them),
// run /tests/test.sh in the image WORKDIR with its output redirected to a file (never a
// pipe through tee), under the verifier timeout, then read the verdict from the files.
import path from 'node:path';
import { prepareFailed, type TaskContainer } from '../docker/container.js';
import { CancelledError, InfraError, TrialError } from '../errors.js';
import type { Task } from '../task/load.js';
import { readVerdict, type Rewards } from './reward.js';
import { FileTail } from '../stream/file-tail.js';
import type { TestCase } from '../events.js';

export interface VerifyRequest {
  container: TaskContainer;
  task: Task;
  verifierDir: string;
  timeoutSec: number;
  signal: AbortSignal;
  output: (line: string) => void;
  /** Lines of test-stdout.txt handed to the log at most; the file keeps everything. */
  maxLoggedBytes: number;
  /** Called when test.sh ended on its own: the log folders were made writable after it. */
  onLogsOpened?: () => void;
}

const READY = 'tb2-verifier-ready';
const CLEAR_LOGS =
  'rm -rf /logs/verifier/* /logs/verifier/.[!.]* /logs/verifier/..?* 2>/dev/null; mkdir -p /logs/verifier';
// Files written as root in the container stay removable by the runner's user; done here,
// in the verifier's own exec, rather than in one more exec at the end of the trial.
const OPEN_LOGS = 'chmod -R a+rwX /logs/agent /logs/verifier 2>/dev/null';

export type Verdict = Rewards & { tests: TestCase[]; ctrfError?: string };

export async function verify(r: VerifyRequest): Promise<Verdict> {
  const c = r.container;
  // tests/ goes in under a random name now and moves to /tests in the exec below, after
  // /tests and /logs/verifier are emptied: two docker calls where there were four.
  const staged = await c.stage(path.join(r.task.dir, 'tests'), r.signal);
  const env = r.task.config.verifierEnv;
  // The tail starts once the exec says the folder was emptied, so it never follows a
  // test-stdout.txt the agent wrote beforehand.
  const tail = new FileTail(path.join(r.verifierDir, 'test-stdout.txt'), r.output, r.maxLoggedBytes);
  let tailing = false;
  let res;
  try {
    res = await c.exec(`/tests/test.sh; s=$?; ${OPEN_LOGS}; exit $s`, {
      tag: 'verifier',
      prepare: `${CLEAR_LOGS} && rm -rf /tests && mv '${staged}' /tests && echo ${READY}`,
      onLine: (line) => line === READY && !tailing && ((tailing = true), tail.start()),
      redirect: '/logs/verifier/test-stdout.txt',
      env,
      envNames: Object.keys(env),
      timeoutMs: r.timeoutSec * 1000,
      signal: r.signal,
    });
  } finally {
    if (tailing) await tail.stop();
  }
  if (res.aborted) throw CancelledError.of(r.signal);
  if (prepareFailed(res))
    throw new InfraError(
      'ContainerExecError',
      `could not empty /logs/verifier and put tests/ in /tests: ${res.stderrTail.trim().split('\n')[0]}`,
    );
  if (!res.timedOut) r.onLogsOpened?.();
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

/**
 * test.sh "failed" and left no reward: if Docker went away under it (daemon stopped,
 * container gone), that is an infrastructure fault, not the task's. Throws
 * DockerUnavailable from the client when the daemon is unreachable.
 */
async function assertRunning(c: TaskContainer): Promise<void> {
  const res = await c.docker.call(['container', 'inspect', '--format', '{{.State.Running}}', c.name], {
    timeoutMs: 15_000,
  });
  if (res.stdout.trim() !== 'true') {
    throw new InfraError(
      'ContainerExecError',
      `the task container stopped while tests/test.sh ran (${res.stderrTail.trim().split('\n').at(-1) || `state ${res.stdout.trim() || 'unknown'}`})`,
    );
  }
}
