// The single-container environment (LIFECYCLE step 2): one task container, and for the
// isolated verifier a fresh one from a snapshot of it. Everything it made is disposed in
// reverse order by stop().
import {
  LABEL_MANAGED,
  LABEL_RUN,
  LABEL_TRIAL,
  removeImagesArgs,
  type ContainerSpec,
  type Mount,
} from '../docker/argv.js';
import type { DockerCli } from '../docker/cli.js';
import { TaskContainer, type ExecOptions, type ExecResult } from '../docker/container.js';
import { CancelledError } from '../errors.js';
import type { Environment, StartRequest } from './types.js';

/** Docker names allow [a-zA-Z0-9][a-zA-Z0-9_.-]. */
export function containerName(trialName: string): string {
  return `tb2-${trialName.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-')}`;
}

export function labelsOf(req: Pick<StartRequest, 'runId' | 'trialName'>): Record<string, string> {
  return { [LABEL_MANAGED]: 'true', [LABEL_RUN]: req.runId, [LABEL_TRIAL]: req.trialName };
}

/** The docker network for a task: the user's override, else none for a no-network task. */
export function networkOf(req: Pick<StartRequest, 'network' | 'task'>): string | undefined {
  return req.network ?? (req.task.config.network === 'no-network' ? 'none' : undefined);
}

/** The container spec of a trial's task container (LIFECYCLE step 2). */
export function containerSpec(req: StartRequest, name: string, image: string, extra: Mount[]): ContainerSpec {
  const c = req.task.config;
  return {
    name,
    image,
    labels: labelsOf(req),
    cpus: c.cpus,
    memoryMb: c.memoryMb,
    pidsLimit: req.pidsLimit,
    network: networkOf(req),
    gpus: c.gpus,
    mounts: [
      { host: req.agentDir, container: '/logs/agent' },
      { host: req.verifierDir, container: '/logs/verifier' },
      ...extra,
    ],
    envNames: Object.keys(c.env),
  };
}

export class ContainerEnvironment implements Environment {
  private readonly disposers: Array<() => Promise<void>> = [];
  private snapshots = 0;

  constructor(
    private readonly docker: DockerCli,
    private readonly main: TaskContainer,
    private readonly req: StartRequest,
    /** Removes what made `main` (the container itself, or a compose project). */
    dispose: () => Promise<void>,
  ) {
    this.disposers.push(dispose);
  }

  get name(): string {
    return this.main.name;
  }

  exec(script: string, opts?: ExecOptions): Promise<ExecResult> {
    return this.main.exec(script, opts);
  }
  run(script: string, signal?: AbortSignal, user?: string): Promise<string> {
    return this.main.run(script, signal, user);
  }
  stage(hostDir: string, signal?: AbortSignal): Promise<string> {
    return this.main.stage(hostDir, signal);
  }
  copyIn(hostDir: string, containerDir: string, signal?: AbortSignal): Promise<void> {
    return this.main.copyIn(hostDir, containerDir, signal);
  }
  copyOut(containerPath: string, hostPath: string, signal?: AbortSignal): Promise<void> {
    return this.main.copyOut(containerPath, hostPath, signal);
  }
  running(): Promise<{ running: boolean; why: string }> {
    return this.main.running();
  }
  processCount(): Promise<number> {
    return this.main.processCount();
  }
  restart(signal: AbortSignal): Promise<void> {
    return this.main.restart(signal);
  }

  async isolate(signal: AbortSignal, keep = false): Promise<Environment> {
    const snapshot = `tb2-snapshot/${containerName(this.req.trialName)}:${keep ? `k${++this.snapshots}` : 'latest'}`;
    // Not aborted mid-way (a commit the daemon finishes after our `rmi` would leave the
    // snapshot behind); bounded by its own timeout, then the abort is honoured.
    await this.main.commit(snapshot, labelsOf(this.req));
    const dropSnapshot = () =>
      this.docker.call(removeImagesArgs([snapshot]), { timeoutMs: 60_000 }).then(
        () => undefined,
        () => undefined,
      );
    // `keep` (a step of a multi-step task that is not the last): the agent's container stays.
    const owned = keep ? [dropSnapshot] : this.disposers;
    if (!keep) await this.stop();
    // Stopped now; should the fresh start fail, stopping this one again drops the snapshot.
    owned.push(dropSnapshot);
    const release = async () => {
      for (const d of owned.splice(0).reverse()) await d().catch(() => undefined);
    };
    if (signal.aborted) {
      if (keep) await release();
      throw CancelledError.of(signal);
    }
    const name = `${containerName(this.req.trialName)}-verify${keep ? `-${this.snapshots}` : ''}`;
    const spec = { ...containerSpec(this.req, name, snapshot, []), pullNever: true };
    const fresh = await TaskContainer.start(this.docker, spec, this.req.task.config.env, signal).catch(async (err) => {
      if (keep) await release();
      throw err;
    });
    owned.splice(0);
    return new ContainerEnvironment(this.docker, fresh, this.req, async () => {
      await fresh.remove();
      await dropSnapshot();
    });
  }

  async stop(): Promise<void> {
    for (const d of this.disposers.splice(0).reverse()) await d().catch(() => undefined);
  }
}
