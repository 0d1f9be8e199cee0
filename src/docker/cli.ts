// The only module that spawns `docker` (docker/actions-toolkit's Exec layer). Output is
// consumed as a stream, never buffered whole; stdin carries anything that must not be on
// a command line; secrets reach containers by name through the client's environment.
import { spawn, type ChildProcess } from 'node:child_process';
import { InfraError } from '../errors.js';
import { LineSplitter } from './lines.js';

export interface DockerCallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Written to the process's stdin, then closed. */
  input?: string;
  /** Extra environment for the docker client: values for `-e NAME` flags. */
  env?: Record<string, string>;
  /** Stream stdout and stderr as lines instead of collecting stdout. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Called with every raw stdout chunk (e.g. to write an uncut log file). */
  onStdout?: (chunk: Buffer) => void;
}

export interface DockerCallResult {
  exitCode: number;
  /** Collected stdout when no onLine is given (small answers: inspect, ps). */
  stdout: string;
  /** The last few KB of stderr, for error messages. */
  stderrTail: string;
  timedOut: boolean;
  aborted: boolean;
}

const STDERR_TAIL = 4096;
/** After SIGTERM on a timeout or an abort, SIGKILL if the client is still there. */
const FORCE_KILL_MS = 2000;

// Plain child_process rather than execa: a trial makes a handful of these calls in a row
// and execa's per-call setup and its load time are on that path (bench/, issue 7). Like
// execa's `cleanup`, clients still running when this process exits are killed with it.
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export class DockerCli {
  constructor(readonly bin = process.env.TB2_DOCKER_BIN || 'docker') {}

  async call(args: readonly string[], opts: DockerCallOptions = {}): Promise<DockerCallResult> {
    if (opts.signal?.aborted) return { exitCode: -1, stdout: '', stderrTail: '', timedOut: false, aborted: true };
    const child = spawn(this.bin, args, {
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: opts.env ? { ...process.env, ...opts.env } : process.env,
    });
    live.add(child);
    let timedOut = false;
    let aborted = false;
    let forceKill: NodeJS.Timeout | undefined;
    const stop = () => {
      child.kill('SIGTERM');
      forceKill ??= setTimeout(() => child.kill('SIGKILL'), FORCE_KILL_MS);
    };
    const timer = opts.timeoutMs ? setTimeout(() => ((timedOut = true), stop()), opts.timeoutMs) : undefined;
    const onAbort = () => ((aborted = true), stop());
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (child.stdin) {
      child.stdin.on('error', () => undefined); // EPIPE when the client exits before reading it all
      child.stdin.end(opts.input);
    }
    let stdout = '';
    let stderrTail = '';
    const outLines = opts.onLine ? new LineSplitter((l) => opts.onLine!(l, 'stdout')) : undefined;
    const errLines = opts.onLine ? new LineSplitter((l) => opts.onLine!(l, 'stderr')) : undefined;
    child.stdout?.on('data', (chunk: Buffer) => {
      opts.onStdout?.(chunk);
      if (outLines) outLines.push(chunk);
      else stdout += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      errLines?.push(chunk);
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    const res = await new Promise<{ code: number | null; error?: NodeJS.ErrnoException }>((resolve) => {
      // A failed spawn (no pid) emits 'error' and no exit status; otherwise 'close' comes
      // once both pipes are drained.
      child.on('error', (error) => child.pid === undefined && resolve({ code: null, error }));
      child.once('close', (code) => resolve({ code }));
    });
    live.delete(child);
    clearTimeout(timer);
    clearTimeout(forceKill);
    opts.signal?.removeEventListener('abort', onAbort);
    outLines?.end();
    errLines?.end();
    if (res.error?.code === 'ENOENT') {
      throw new InfraError(
        'DockerUnavailable',
        `docker CLI not found ("${this.bin}"): install Docker or put it on PATH`,
      );
    }
    if (isDaemonDown(stderrTail)) {
      throw new InfraError('DockerUnavailable', `Docker daemon unreachable: ${lastLine(stderrTail)}`);
    }
    if (res.error)
      throw new InfraError('DockerUnavailable', `could not run the docker CLI ("${this.bin}"): ${res.error.message}`);
    return {
      exitCode: res.code ?? -1,
      stdout,
      stderrTail,
      timedOut,
      aborted: aborted || Boolean(opts.signal?.aborted),
    };
  }

  /** Run and require exit 0; the error names the docker subcommand and its stderr. */
  async ok(args: readonly string[], opts: DockerCallOptions = {}, errorType = 'DockerError'): Promise<string> {
    const res = await this.call(args, opts);
    if (res.exitCode !== 0 && !res.aborted) {
      throw new InfraError(
        errorType,
        `docker ${args[0]} failed (exit ${res.exitCode}): ${lastLine(res.stderrTail) || 'no message'}`,
      );
    }
    return res.stdout;
  }
}

function isDaemonDown(stderr: string): boolean {
  return /Cannot connect to the Docker daemon|error during connect|Is the docker daemon running/i.test(stderr);
}

/**
 * The line of docker's stderr that says what went wrong: the last "Error…" line (the
 * client ends a failed `run` with "Run 'docker run --help'…", which says nothing), else
 * the last line.
 */
export function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (
    [...lines].reverse().find((l) => /^(docker: )?Error\b|Error response from daemon/.test(l)) ?? lines.at(-1) ?? ''
  );
}
