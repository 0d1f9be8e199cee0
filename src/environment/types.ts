// The task's environment as the runner sees it: where the agent and the verifier run, one
// container or a docker compose project whose service `main` they run in. The runner talks
// to containers only through this interface (LIFECYCLE steps 1-6), so it can be tested
// with a fake, and the docker client stays inside the implementations.
import type { Mount } from '../docker/argv.js';
import type { ExecOptions, ExecResult } from '../docker/container.js';
import type { Task } from '../task/load.js';

export type { ExecOptions, ExecResult, Mount };
export { prepareFailed, runScript, shQuote } from '../docker/exec-scripts.js';

export interface Environment {
  /** What the log calls it: the main container's name. */
  readonly name: string;
  /** Run a shell script in `main` (tracked, streamed or collected: ExecOptions). */
  exec(script: string, opts?: ExecOptions): Promise<ExecResult>;
  /** A short command that must succeed (a Docker fault otherwise); its stdout. */
  run(script: string, signal?: AbortSignal, user?: string): Promise<string>;
  /** Copy a host folder in under an unguessable name; returns that path. */
  stage(hostDir: string, signal?: AbortSignal): Promise<string>;
  /** Replace `containerDir` with a host folder's contents. */
  copyIn(hostDir: string, containerDir: string, signal?: AbortSignal): Promise<void>;
  /** Copy a path of `main` (a file or a folder) out to the host. */
  copyOut(containerPath: string, hostPath: string, signal?: AbortSignal): Promise<void>;
  running(): Promise<{ running: boolean; why: string }>;
  processCount(): Promise<number>;
  /** Restart `main`: every process goes, its file system stays. */
  restart(signal: AbortSignal): Promise<void>;
  /**
   * The isolated verifier's environment: a fresh container from a snapshot of `main`'s file
   * system, with nothing the agent left running (sidecars are not re-created). This
   * environment is stopped; the new one is disposed with it.
   */
  isolate(signal: AbortSignal): Promise<Environment>;
  /** Remove everything this environment made, in reverse order. Idempotent; never aborted. */
  stop(): Promise<void>;
}

export interface StartRequest {
  task: Task;
  trialName: string;
  runId: string;
  /** Host folders bind-mounted at /logs/agent and /logs/verifier. */
  agentDir: string;
  verifierDir: string;
  /** The agent's extra mounts, known once its host-side preparation is done. */
  prepared: Promise<{ mounts: Mount[] }>;
  forceBuild: boolean;
  /** Overrides the task's network policy: "host", "none", a network name. */
  network?: string;
  pidsLimit: number;
  signal: AbortSignal;
  /** Progress of the environment phase (pull, build, compose, healthcheck). */
  onLine: (line: string) => void;
  /** The image `main` runs, once known. */
  onImage: (ref: string, source: string) => void;
}

/** Starts environments; one per job, so images are shared between its trials. */
export interface Environments {
  start(req: StartRequest): Promise<Environment>;
}
