// The separate verifier's environment (Harbor v0.22 `[verifier] environment_mode =
// "separate"`, trial.py _separate_verifier_env): a container of its own, from
// `[verifier.environment] docker_image`, else built from the task's tests/ folder (Harbor's
// build context for it), with only /logs/verifier mounted: the agent's file system is not
// there; what the verifier may see of it comes in as artifacts.
import type { DockerCli } from '../docker/cli.js';
import { TaskContainer } from '../docker/container.js';
import type { Task } from '../task/load.js';
import type { VerifierEnvSpec } from '../task/steps-schema.js';
import { ContainerEnvironment, containerName, labelsOf, networkOf } from './container-env.js';
import type { ImageResolver } from './image.js';
import type { Environment, StartRequest } from './types.js';

export interface VerifierStartRequest {
  task: Task;
  trialName: string;
  runId: string;
  /** Which verification this is for: "trial", or the step's name. */
  key: string;
  verifierDir: string;
  /** `[verifier.environment]` (the step's, else the task's), if any. */
  spec?: VerifierEnvSpec;
  /** A tests/ folder holding a Dockerfile, built when the spec names no image. */
  context?: string;
  network?: string;
  pidsLimit: number;
  signal: AbortSignal;
  onLine: (line: string) => void;
  onImage: (ref: string, source: string) => void;
}

export async function startVerifierEnvironment(
  docker: DockerCli,
  images: ImageResolver,
  r: VerifierStartRequest,
): Promise<Environment> {
  const c = r.task.config;
  const s = r.spec ?? {};
  // The image policy of image.ts, on a view of the task with the verifier's settings.
  const view: Task = {
    ...r.task,
    config: {
      ...c,
      dockerImage: s.docker_image,
      buildTimeoutSec: s.build_timeout_sec ?? c.buildTimeoutSec,
      cpus: s.cpus ?? c.cpus,
      memoryMb: s.memory_mb ?? c.memoryMb,
      workdir: s.workdir ?? c.workdir,
      env: {},
      healthcheck: undefined,
    },
  };
  const image = await images.resolve({
    task: view,
    forceBuild: false,
    signal: r.signal,
    onLine: r.onLine,
    ...(s.docker_image ? {} : { context: r.context }),
  });
  r.onImage(image.ref, image.source);
  const name = `${containerName(r.trialName)}-verifier-${r.key.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-')}`;
  const req: StartRequest = {
    task: view,
    trialName: r.trialName,
    runId: r.runId,
    agentDir: r.verifierDir,
    verifierDir: r.verifierDir,
    prepared: Promise.resolve({ mounts: [] }),
    forceBuild: false,
    network: r.network,
    pidsLimit: r.pidsLimit,
    signal: r.signal,
    onLine: r.onLine,
    onImage: r.onImage,
  };
  const container = await TaskContainer.start(
    docker,
    {
      name,
      image: image.ref,
      labels: labelsOf(r),
      cpus: view.config.cpus,
      memoryMb: view.config.memoryMb,
      pidsLimit: r.pidsLimit,
      network: networkOf({ network: r.network, task: r.task }),
      mounts: [{ host: r.verifierDir, container: '/logs/verifier' }],
      envNames: [],
    },
    {},
    r.signal,
  );
  const env = new ContainerEnvironment(docker, container, req, () => container.remove());
  const wd = view.config.workdir;
  if (wd) await env.run(`mkdir -p '${wd}'`, r.signal, '0').catch(() => undefined);
  return env;
}
