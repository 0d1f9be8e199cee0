// A running task container as typed operations: exec with a pid file so what we started
// can be stopped inside the container (killing the docker client does not stop what it
// started), copy in, snapshot, restart, remove. The docker client stays inside: callers
// get operations, never a door to run any argv. Removal never takes the abort signal:
// cleanup must run after one.
import { randomBytes } from 'node:crypto';
import { CancelledError, InfraError } from '../errors.js';
import {
  commitArgs,
  copyInArgs,
  copyOutArgs,
  execArgs,
  removeContainersArgs,
  restartArgs,
  runArgs,
  runningArgs,
  topArgs,
  type ContainerSpec,
} from './argv.js';
import type { DockerCli } from './cli.js';
import { lastLine } from './cli.js';
import { KILL_TREE, pidFileOf, wrapScript } from './exec-scripts.js';

const START_GRACE_MS = 2500;

/** A signal that aborts `ms` after `signal` does. */
function afterGrace(signal: AbortSignal, ms: number): AbortSignal {
  const c = new AbortController();
  const fire = () => setTimeout(() => c.abort(signal.reason), ms).unref();
  if (signal.aborted) fire();
  else signal.addEventListener('abort', fire, { once: true });
  return c.signal;
}

/** The grace ran out with `docker run` still in flight: remove until none appears for a while. */
async function settleRemove(docker: DockerCli, name: string): Promise<void> {
  for (let i = 0; i < 6; i++) {
    await new Promise((r) => setTimeout(r, 250));
    await docker.call(removeContainersArgs([name]), { timeoutMs: 10_000 }).catch(() => undefined);
  }
}

export interface ExecOptions {
  /** Track the process tree under this tag: stopped on a timeout or an abort. */
  tag?: string;
  /** Variables set for the command; values travel in the client's env, names on argv. */
  env?: Record<string, string>;
  user?: string;
  cwd?: string;
  /** Written to the command's stdin, then closed. */
  input?: string;
  /** Append the command's stdout and stderr to this file in the container. */
  redirect?: string;
  /** A step run first in the same exec; its failure is told apart by prepareFailed(). */
  prepare?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Stream output as lines; otherwise stdout is collected (small answers). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface ExecResult {
  exitCode: number;
  timedOut: boolean;
  aborted: boolean;
  /** Collected stdout, when no onLine was given. */
  stdout: string;
  stderrTail: string;
}

export class TaskContainer {
  private removed = false;

  private constructor(
    private readonly docker: DockerCli,
    readonly name: string,
  ) {}

  static async start(
    docker: DockerCli,
    spec: ContainerSpec,
    env: Record<string, string>,
    signal: AbortSignal,
  ): Promise<TaskContainer> {
    const c = new TaskContainer(docker, spec.name);
    // Killing the client mid `docker run` does not stop the daemon from creating the
    // container a moment later, after our `rm -f` found nothing. So an abort lets the call
    // finish (a short grace), and the container is then removed knowing it exists.
    const res = await docker.call(runArgs(spec), {
      env,
      signal: afterGrace(signal, START_GRACE_MS),
      timeoutMs: 120_000,
    });
    if (signal.aborted) {
      await c.remove();
      if (res.aborted) await settleRemove(docker, spec.name);
      throw CancelledError.of(signal);
    }
    if (res.exitCode !== 0) {
      await c.remove(); // `docker run -d` can leave a created-but-not-started container
      if (spec.gpus && /could not select device driver/i.test(res.stderrTail)) {
        throw new InfraError(
          'GpuUnavailableError',
          `[environment] gpus = ${spec.gpus}: this Docker engine cannot give containers GPUs (${lastLine(res.stderrTail)}); tb2 will not run a GPU task on CPUs`,
        );
      }
      throw new InfraError(
        'ContainerStartError',
        `container did not start: ${lastLine(res.stderrTail) || `exit ${res.exitCode}`}`,
      );
    }
    return c;
  }

  /** A container someone else started (a compose project's `main`); removing it is theirs. */
  static attach(docker: DockerCli, name: string): TaskContainer {
    const c = new TaskContainer(docker, name);
    c.removed = true;
    return c;
  }

  /**
   * Run `script` with sh in the container. With `tag`, the process records its pid so its
   * whole tree is stopped on a timeout or an abort, which this method does before returning.
   */
  async exec(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const env = opts.env ?? {};
    const spec = {
      container: this.name,
      interactive: opts.input !== undefined,
      envNames: Object.keys(env),
      workdir: opts.cwd,
      user: opts.user,
    };
    const argv = opts.tag
      ? execArgs(spec, ['sh', '-c', wrapScript(opts.tag, opts.prepare, opts.redirect), 'tb2', script])
      : execArgs(spec, ['sh', '-c', script]);
    const res = await this.docker.call(argv, { ...opts, env });
    if (opts.tag && (res.timedOut || res.aborted)) await this.stopTree(opts.tag);
    return res;
  }

  /** A short command whose failure is a Docker fault (mkdir, rm, chmod); returns its stdout. */
  async run(script: string, signal?: AbortSignal, user?: string): Promise<string> {
    const argv = execArgs({ container: this.name, user }, ['sh', '-c', script]);
    return this.docker.ok(argv, { signal, timeoutMs: 60_000 }, 'ContainerExecError');
  }

  async stopTree(tag: string): Promise<void> {
    await this.docker.call(
      execArgs({ container: this.name, user: '0' }, ['sh', '-c', KILL_TREE, 'tb2', pidFileOf(tag)]),
      {
        timeoutMs: 15_000,
      },
    );
  }

  /**
   * Copy a host folder's contents to a new folder under an unguessable name at the root
   * (`docker cp` creates it), for an exec's `prepare` to move into place: one docker call
   * instead of copyIn's two.
   */
  async stage(hostDir: string, signal?: AbortSignal): Promise<string> {
    const dir = `/.tb2-stage-${randomBytes(8).toString('hex')}`;
    await this.docker.ok(copyInArgs(this.name, hostDir, dir), { signal, timeoutMs: 120_000 }, 'ContainerCopyError');
    return dir;
  }

  async copyIn(hostDir: string, containerDir: string, signal?: AbortSignal): Promise<void> {
    await this.run(`rm -rf '${containerDir}' && mkdir -p '${containerDir}'`, signal, '0');
    await this.docker.ok(
      copyInArgs(this.name, hostDir, containerDir),
      { signal, timeoutMs: 120_000 },
      'ContainerCopyError',
    );
  }

  /** Copy a path out of the container (a file, or a folder with its contents) to the host. */
  async copyOut(containerPath: string, hostPath: string, signal?: AbortSignal): Promise<void> {
    await this.docker.ok(
      copyOutArgs(this.name, containerPath, hostPath),
      { signal, timeoutMs: 300_000 },
      'ContainerCopyError',
    );
  }

  async commit(tag: string, labels: Record<string, string>, signal?: AbortSignal): Promise<void> {
    await this.docker.ok(commitArgs(this.name, tag, labels), { signal, timeoutMs: 300_000 }, 'SnapshotError');
  }

  /** true / false, or why it could not tell (the daemon's last line). */
  async running(): Promise<{ running: boolean; why: string }> {
    const res = await this.docker.call(runningArgs(this.name), { timeoutMs: 15_000 });
    const out = res.stdout.trim();
    return { running: out === 'true', why: lastLine(res.stderrTail) || `state ${out || 'unknown'}` };
  }

  /** Processes in the container, counted from the host (`docker top` needs no pid inside it); -1 if unknown. */
  async processCount(): Promise<number> {
    const res = await this.docker.call(topArgs(this.name), { timeoutMs: 30_000 });
    return res.exitCode === 0 ? Math.max(0, res.stdout.trim().split('\n').length - 1) : -1;
  }

  /** Every process goes, the file system stays. */
  async restart(signal: AbortSignal): Promise<void> {
    await this.docker.ok(restartArgs(this.name), { signal, timeoutMs: 60_000 }, 'ContainerExecError');
  }

  /** Idempotent; never aborted, because it is what runs after an abort. */
  async remove(): Promise<void> {
    if (this.removed) return;
    this.removed = true;
    await this.docker.call(removeContainersArgs([this.name]), { timeoutMs: 30_000 }).catch(() => undefined);
  }
}
