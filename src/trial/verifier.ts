// The verifier phase (SPEC lifecycle 4-5): empty /logs/verifier (an agent must not be able
// to pre-write its own reward), copy tests/ to /tests only now (the agent never sees them),
// run /tests/test.sh in the image WORKDIR with its output redirected to a file (never a
// pipe through tee), under the verifier timeout, then read the verdict from the files.
import path from 'node:path';
import type { TaskContainer } from '../docker/container.js';
import { CancelledError, TrialError } from '../errors.js';
import type { Task } from '../task/load.js';
import { readVerdict, type Rewards } from './reward.js';
import { FileTail } from './tail.js';
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
}

export type Verdict = Rewards & { tests: TestCase[]; ctrfError?: string };

export async function verify(r: VerifyRequest): Promise<Verdict> {
  const c = r.container;
  await c.run('rm -rf /logs/verifier/* /logs/verifier/.[!.]* /logs/verifier/..?* 2>/dev/null; mkdir -p /logs/verifier', r.signal);
  await c.copyIn(path.join(r.task.dir, 'tests'), '/tests', r.signal);
  const env = r.task.config.verifierEnv;
  const tail = new FileTail(path.join(r.verifierDir, 'test-stdout.txt'), r.output, r.maxLoggedBytes).start();
  let res;
  try {
    res = await c.exec('/tests/test.sh', {
      tag: 'verifier',
      redirect: '/logs/verifier/test-stdout.txt',
      env,
      envNames: Object.keys(env),
      timeoutMs: r.timeoutSec * 1000,
      signal: r.signal,
    });
  } finally {
    await tail.stop();
  }
  if (res.aborted) throw new CancelledError(String(r.signal.reason ?? 'SIGINT'));
  if (res.timedOut) {
    throw new TrialError('VerifierTimeoutError', `tests/test.sh timed out after ${r.timeoutSec}s and was stopped (task.toml [verifier] timeout_sec)`);
  }
  try {
    return await readVerdict(r.verifierDir);
  } catch (err) {
    if (err instanceof TrialError && res.exitCode !== 0) {
      throw new TrialError(err.exceptionType, `${err.message} (tests/test.sh exited with code ${res.exitCode}; see verifier/test-stdout.txt)`);
    }
    throw err;
  }
}
