// A running task container: exec with a pid file so what we started can be stopped
// inside the container (killing the docker client does not stop what it started), copy in,
// snapshot, and remove. Removal never takes the abort signal: cleanup must run after one.
import { randomBytes } from 'node:crypto';
import { CancelledError, InfraError } from '../errors.js';
import { commitArgs, copyInArgs, execArgs, removeContainersArgs, runArgs, type ContainerSpec } from './argv.js';
import type { DockerCallOptions, DockerCli } from './cli.js';
import { lastLine } from './cli.js';

const PID_DIR = '/tmp/.tb2';

// Stop the whole process tree under the recorded pid: SIGSTOP each process found (so
// nothing forks behind us), repeat until no new child appears, then SIGKILL them all.
// Reads ppid from /proc/PID/stat (field after the ")" of comm); POSIX sh, busybox too.
const KILL_TREE = `r=$(cat "$1" 2>/dev/null); [ -n "$r" ] || exit 0
all=" $r "; kill -STOP "$r" 2>/dev/null || exit 0
n=0
while [ $n -lt 50 ]; do
  found=0
  for s in /proc/[0-9]*/stat; do
    read -r l < "$s" 2>/dev/null || continue
    p=\${l%% *}; rest=\${l##*) }; pp=\${rest#* }; pp=\${pp%% *}
    case "$all" in *" $pp "*) case "$all" in *" $p "*) ;; *) all="$all$p "; kill -STOP "$p" 2>/dev/null; found=1;; esac;; esac
  done
  [ $found = 1 ] || break
  n=$((n+1))
done
kill -KILL $all 2>/dev/null; rm -f "$1"; exit 0`;

const PREPARE_FAILED = 199;
const PREPARE_MARKER = 'tb2: exec preparation failed';

/** The exec's `prepare` step failed (a Docker-side fault, not the script's exit code). */
export function prepareFailed(res: ExecResult): boolean {
  return res.exitCode === PREPARE_FAILED && res.stderrTail.includes(PREPARE_MARKER);
}

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

export interface ExecResult {
  exitCode: number;
  timedOut: boolean;
  aborted: boolean;
  stderrTail: string;
}

export class TaskContainer {
  private removed = false;

  private constructor(
    readonly docker: DockerCli,
    readonly spec: ContainerSpec,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  static async start(
    docker: DockerCli,
    spec: ContainerSpec,
    env: Record<string, string>,
    signal: AbortSignal,
  ): Promise<TaskContainer> {
    const c = new TaskContainer(docker, spec);
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
      throw new InfraError(
        'ContainerStartError',
        `container did not start: ${lastLine(res.stderrTail) || `exit ${res.exitCode}`}`,
      );
    }
    return c;
  }

  /**
   * Run `script` with sh in the container (cwd = the image's WORKDIR). With `tag`, the
   * process records its pid so stopTree(tag) can end it and its children on a timeout or
   * an abort, which this method does itself before returning.
   */
  async exec(
    script: string,
    opts: DockerCallOptions & {
      tag: string;
      envNames?: string[];
      interactive?: boolean;
      redirect?: string;
      prepare?: string;
    },
  ): Promise<ExecResult> {
    const pidFile = `${PID_DIR}/${opts.tag}.pid`;
    // With `redirect`, output goes to a file (appended, so a host-side tail can follow it).
    const out = opts.redirect ? ` >> '${opts.redirect}' 2>&1` : '';
    // `prepare` runs first in the same exec (one docker round trip less); on failure the
    // exec exits PREPARE_FAILED with the marker on stderr, see prepareFailed().
    const pre = opts.prepare
      ? `{ ${opts.prepare}; } || { echo '${PREPARE_MARKER}' >&2; exit ${PREPARE_FAILED}; }; `
      : '';
    const wrapped = `${pre}mkdir -p ${PID_DIR} && echo $$ > ${pidFile} && exec sh -c "$1"${out}`;
    const argv = execArgs(
      { container: this.name, interactive: opts.interactive ?? opts.input !== undefined, envNames: opts.envNames },
      ['sh', '-c', wrapped, 'tb2', script],
    );
    const res = await this.docker.call(argv, opts);
    if (res.timedOut || res.aborted) await this.stopTree(opts.tag);
    return { exitCode: res.exitCode, timedOut: res.timedOut, aborted: res.aborted, stderrTail: res.stderrTail };
  }

  /** A short command whose failure is a Docker fault (mkdir, rm, chmod). */
  async run(script: string, signal?: AbortSignal): Promise<void> {
    await this.docker.ok(
      execArgs({ container: this.name }, ['sh', '-c', script]),
      { signal, timeoutMs: 60_000 },
      'ContainerExecError',
    );
  }

  async stopTree(tag: string): Promise<void> {
    await this.docker.call(
      execArgs({ container: this.name }, ['sh', '-c', KILL_TREE, 'tb2', `${PID_DIR}/${tag}.pid`]),
      { timeoutMs: 15_000 },
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
    await this.run(`rm -rf '${containerDir}' && mkdir -p '${containerDir}'`, signal);
    await this.docker.ok(
      copyInArgs(this.name, hostDir, containerDir),
      { signal, timeoutMs: 120_000 },
      'ContainerCopyError',
    );
  }

  async commit(tag: string, labels: Record<string, string>, signal?: AbortSignal): Promise<void> {
    await this.docker.ok(commitArgs(this.name, tag, labels), { signal, timeoutMs: 300_000 }, 'SnapshotError');
  }

  /** Idempotent; never aborted, because it is what runs after an abort. */
  async remove(): Promise<void> {
    if (this.removed) return;
    this.removed = true;
    await this.docker.call(removeContainersArgs([this.name]), { timeoutMs: 30_000 }).catch(() => undefined);
  }
}
