// The only module that spawns `docker` (docker/actions-toolkit's Exec layer), through
// execa (https://github.com/sindresorhus/execa/blob/main/docs/api.md): `cancelSignal` and
// `timeout` end the client with SIGTERM, `forceKillAfterDelay` with SIGKILL if it lingers,
// and `cleanup` kills clients still running when this process exits. Output is consumed
// as a stream, never buffered whole (only small answers such as `inspect` are collected);
// stdin carries anything that must not be on a command line; secrets reach containers by
// name through the client's environment.
import { execa } from 'execa';
import { InfraError } from '../errors.js';
import { LineSplitter } from '../stream/lines.js';
import { VERSION_V2, type ComposeCommand, type ComposeFlavor } from './compose-argv.js';

export interface DockerCallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Written to the process's stdin, then closed. */
  input?: string;
  /** Extra environment for the docker client: values for `-e NAME` flags. */
  env?: Record<string, string>;
  /** Stream stdout and stderr as lines instead of collecting stdout. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
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
/** Collected answers are small; a runaway one fails the call instead of filling memory. */
const MAX_COLLECTED = 16 * 1024 * 1024;

export class DockerCli {
  private flavor?: Promise<ComposeFlavor>;

  constructor(
    readonly bin = process.env.TB2_DOCKER_BIN || 'docker',
    private readonly composeBin = process.env.TB2_DOCKER_COMPOSE_BIN || 'docker-compose',
  ) {}

  call(args: readonly string[], opts: DockerCallOptions = {}): Promise<DockerCallResult> {
    return this.spawn(this.bin, args, opts);
  }

  /** A docker compose call, through the plugin (`docker compose`) or the standalone v1. */
  compose(cmd: ComposeCommand, opts: DockerCallOptions = {}): Promise<DockerCallResult> {
    return this.spawn(cmd.bin === 'docker' ? this.bin : this.composeBin, cmd.args, opts);
  }

  /**
   * Which compose this machine has: the v2 plugin when `docker compose version` answers,
   * else the standalone v1. Asked once per process; v1 is not probed (its Python start-up
   * costs half a second): a missing docker-compose fails its first call by name.
   */
  composeFlavor(): Promise<ComposeFlavor> {
    this.flavor ??= this.compose(VERSION_V2, { timeoutMs: 30_000 }).then(
      (r) => {
        if (r.timedOut) this.flavor = undefined; // not a definite answer: asked again next time
        return r.exitCode === 0 ? 'v2' : 'v1';
      },
      () => 'v1' as const,
    );
    return this.flavor;
  }

  private async spawn(bin: string, args: readonly string[], opts: DockerCallOptions): Promise<DockerCallResult> {
    if (opts.signal?.aborted) return { exitCode: -1, stdout: '', stderrTail: '', timedOut: false, aborted: true };
    const collect = !opts.onLine;
    const child = execa(bin, args, {
      stdin: opts.input === undefined ? 'ignore' : 'pipe',
      env: opts.env,
      cancelSignal: opts.signal,
      timeout: opts.timeoutMs,
      forceKillAfterDelay: FORCE_KILL_MS,
      cleanup: true,
      reject: false,
      encoding: 'utf8',
      stripFinalNewline: false,
      buffer: { stdout: collect, stderr: false },
      maxBuffer: MAX_COLLECTED,
    });
    if (child.stdin) {
      child.stdin.on('error', () => undefined); // EPIPE when the client exits before reading it all
      child.stdin.end(opts.input);
    }
    let stderrTail = '';
    const outLines = opts.onLine ? new LineSplitter((l) => opts.onLine!(l, 'stdout')) : undefined;
    const errLines = opts.onLine ? new LineSplitter((l) => opts.onLine!(l, 'stderr')) : undefined;
    if (outLines) child.stdout?.on('data', (chunk: Buffer) => outLines.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => {
      errLines?.push(chunk);
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    const res = await child;
    outLines?.end();
    errLines?.end();
    const code = (res.cause as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT') {
      throw new InfraError(
        'DockerUnavailable',
        bin === this.bin
          ? `docker CLI not found ("${bin}"): install Docker or put it on PATH`
          : `neither \`docker compose\` (the v2 plugin) nor docker-compose ("${bin}") is installed; a task with environment/docker-compose.yaml needs one`,
      );
    }
    if (isDaemonDown(stderrTail)) {
      throw new InfraError('DockerUnavailable', `Docker daemon unreachable: ${lastLine(stderrTail)}`);
    }
    const aborted = res.isCanceled || Boolean(opts.signal?.aborted);
    if (res.failed && res.exitCode === undefined && !res.timedOut && !aborted && !res.isTerminated) {
      throw new InfraError('DockerUnavailable', `could not run ${bin}: ${res.shortMessage}`);
    }
    const stdout = typeof res.stdout === 'string' ? res.stdout : '';
    return { exitCode: res.exitCode ?? -1, stdout, stderrTail, timedOut: res.timedOut, aborted };
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
