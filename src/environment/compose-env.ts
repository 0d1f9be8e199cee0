// A docker compose environment (Harbor's compose tasks): our base definition for `main`
// layered before the task's environment/docker-compose.yaml, one project per trial, `up`
// under [environment] build_timeout_sec (dependencies' healthchecks gate `main`: compose
// v1 has no `up --wait`, and both flavours start a `service_healthy` dependent only once
// its dependency is healthy), agent and verifier in `main`, and `down` of everything the
// project made in every outcome. The isolated verifier snapshots `main` and verifies in a
// fresh single container from it: sidecars are not re-created (docs/LIFECYCLE.md).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BUILD_V1, composeArgs, composeError, DOWN, UP, type ComposeProject } from '../docker/compose-argv.js';
import type { DockerCli } from '../docker/cli.js';
import { TaskContainer } from '../docker/container.js';
import { listByLabelArgs } from '../docker/argv.js';
import { CancelledError, InfraError, TaskValidationError } from '../errors.js';
import { composeBase, composeNetworks } from './compose-base.js';
import { ContainerEnvironment, containerName, containerSpec } from './container-env.js';
import type { ImageResolver } from './image.js';
import type { Environment, StartRequest } from './types.js';

/** Compose project names allow [a-z0-9_-]: a container name without its dots. */
export function projectName(trialName: string): string {
  return containerName(trialName).replace(/\./g, '-');
}

/** Harbor's variables for a task's compose file (`image: ${MAIN_IMAGE_NAME}`, `cpus: ${CPUS}`…). */
function harborVariables(req: StartRequest, image: string, container: string): Record<string, string> {
  const c = req.task.config;
  return {
    MAIN_IMAGE_NAME: image,
    MAIN_CONTAINER_NAME: container,
    CONTEXT_DIR: path.join(req.task.dir, 'environment'),
    CPUS: String(c.cpus),
    MEMORY: `${c.memoryMb}M`,
    HOST_AGENT_LOGS_PATH: req.agentDir,
    HOST_VERIFIER_LOGS_PATH: req.verifierDir,
    ENV_AGENT_LOGS_PATH: '/logs/agent',
    ENV_VERIFIER_LOGS_PATH: '/logs/verifier',
  };
}

export async function startCompose(docker: DockerCli, images: ImageResolver, req: StartRequest): Promise<Environment> {
  const compose = req.task.compose!;
  const c = req.task.config;
  // `main` must stay on the project's networks to reach its sidecars by name.
  if (req.network && req.network !== 'none') {
    throw new TaskValidationError(
      `--network ${req.network}: not supported for a compose task (environment/docker-compose.yaml); its main service stays on the project's networks ("none" makes them internal)`,
    );
  }
  const flavor = await docker.composeFlavor();
  // Our image when the task has one to give (a Dockerfile or a pinned image); the task's
  // file may still use it as ${MAIN_IMAGE_NAME} or override it.
  const ours = req.task.hasDockerfile || (c.dockerImage !== undefined && !req.forceBuild);
  const [prepared, image] = await Promise.all([
    req.prepared,
    ours
      ? images.resolve({ task: req.task, forceBuild: req.forceBuild, signal: req.signal, onLine: req.onLine })
      : undefined,
  ]);
  if (image) req.onImage(image.ref, image.source);
  const name = projectName(req.trialName);
  const spec = containerSpec(req, `${name}-main`, image?.ref ?? '', prepared.mounts);
  const dir = await mkdtemp(path.join(tmpdir(), 'tb2-compose-'));
  const files = [path.join(dir, 'base.compose.json'), compose.file, path.join(dir, 'networks.compose.json')];
  const project: ComposeProject = { name, files, directory: path.dirname(compose.file) };
  // Values of `environment: [NAME]` and of the task file's ${VARS} come from compose's own environment.
  const env = { ...harborVariables(req, image?.ref ?? '', spec.name), ...c.env };
  const run = (sub: readonly string[], opts: Parameters<DockerCli['compose']>[1] = {}) =>
    docker.compose(composeArgs(flavor, project, sub), { env, ...opts });
  const down = () =>
    run(DOWN, { timeoutMs: 120_000 }).then(
      () => undefined,
      () => undefined,
    );
  const left = async () =>
    (
      await docker.call(listByLabelArgs('containers', `com.docker.compose.project=${name}`), { timeoutMs: 10_000 })
    ).stdout.trim();
  /** Remove the project; after a cancelled or timed-out `up`, until no container of it appears for a while. */
  const cleanup = async (settle: boolean) => {
    await down();
    for (let i = 0; settle && i < 4; i++) {
      await new Promise((r) => setTimeout(r, 400));
      if (await left().catch(() => '')) await down();
    }
    await rm(dir, { recursive: true, force: true });
  };

  // A failure from here on removes the project on its way out; only a failed `up` that
  // ended on its own (a plain error exit) needs no settling.
  let settle = true;
  try {
    await writeFile(files[0], JSON.stringify(composeBase({ ...spec, compose }), null, 2));
    await writeFile(files[2], JSON.stringify(composeNetworks({ ...spec, compose }), null, 2));
    const how = flavor === 'v2' ? 'docker compose' : 'docker-compose';
    req.onLine(`compose project ${name} (${how}): ${compose.services.join(', ')}`);
    const deadline = Date.now() + c.buildTimeoutSec * 1000;
    const step = (sub: readonly string[]) =>
      run(sub, { signal: req.signal, timeoutMs: Math.max(1, deadline - Date.now()), onLine: (l) => req.onLine(l) });
    const built = flavor === 'v1' && compose.builds.length ? await step(BUILD_V1) : undefined;
    const up = built && (built.aborted || built.timedOut || built.exitCode !== 0) ? built : await step(UP);
    if (up.aborted || up.timedOut || up.exitCode !== 0) {
      // A cancelled or timed-out `up` can still have the daemon create a container a moment later.
      settle = up.aborted || up.timedOut;
      if (up.aborted || req.signal.aborted) throw CancelledError.of(req.signal);
      if (up.timedOut) {
        throw new InfraError(
          'EnvironmentStartTimeoutError',
          `docker compose up did not finish within ${c.buildTimeoutSec}s (task.toml [environment] build_timeout_sec)`,
        );
      }
      const what = up === built ? 'build' : 'up';
      throw new InfraError(
        'ComposeUpError',
        `docker compose ${what} failed: ${composeError(up.stderrTail) || `exit ${up.exitCode}`}`,
      );
    }
  } catch (err) {
    await cleanup(settle);
    throw err;
  }
  // `up` succeeded: `main` was started under its container_name (compose-base.ts).
  const main = TaskContainer.attach(docker, spec.name);
  return new ContainerEnvironment(docker, main, req, () => cleanup(false));
}
