// The only module that spawns `docker` (docker/actions-toolkit's Exec layer). Output is
// consumed as a stream, never buffered whole; stdin carries anything that must not be on
// a command line; secrets reach containers by name through the client's environment.
import { execa } from 'execa';
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

export class DockerCli {
  constructor(readonly bin = process.env.TB2_DOCKER_BIN || 'docker') {}

  async call(args: readonly string[], opts: DockerCallOptions = {}): Promise<DockerCallResult> {
    const child = execa(this.bin, args, {
      buffer: false,
      reject: false,
      input: opts.input,
      stdin: opts.input === undefined ? 'ignore' : undefined,
      env: opts.env,
      cancelSignal: opts.signal,
      timeout: opts.timeoutMs,
      forceKillAfterDelay: 2000,
      stripFinalNewline: false,
    });
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
    const res = await child;
    outLines?.end();
    errLines?.end();
    if ((res as { code?: string }).code === 'ENOENT') {
      throw new InfraError('DockerUnavailable', `docker CLI not found ("${this.bin}"): install Docker or put it on PATH`);
    }
    if (isDaemonDown(stderrTail)) {
      throw new InfraError('DockerUnavailable', `Docker daemon unreachable: ${lastLine(stderrTail)}`);
    }
    return {
      exitCode: res.exitCode ?? -1,
      stdout,
      stderrTail,
      timedOut: Boolean(res.timedOut),
      aborted: Boolean(res.isCanceled) || Boolean(opts.signal?.aborted),
    };
  }

  /** Run and require exit 0; the error names the docker subcommand and its stderr. */
  async ok(args: readonly string[], opts: DockerCallOptions = {}, errorType = 'DockerError'): Promise<string> {
    const res = await this.call(args, opts);
    if (res.exitCode !== 0 && !res.aborted) {
      throw new InfraError(errorType, `docker ${args[0]} failed (exit ${res.exitCode}): ${lastLine(res.stderrTail) || 'no message'}`);
    }
    return res.stdout;
  }
}

function isDaemonDown(stderr: string): boolean {
  return /Cannot connect to the Docker daemon|error during connect|Is the docker daemon running/i.test(stderr);
}

export function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).at(-1)?.trim() ?? '';
}
