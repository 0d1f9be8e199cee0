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
import { CancelledError, InfraError } from '../errors.js';
import { composeBase } from './compose-base.js';
import { ContainerEnvironment, containerSpec, labelsOf, networkOf } from './container-env.js';
import type { ImageResolver } from './image.js';
import type { Environment, StartRequest } from './types.js';

/** Compose project names allow [a-z0-9_-], starting with a letter or digit. */
export function projectName(trialName: string): string {
  return `tb2-${trialName.toLowerCase().replace(/[^a-z0-9_-]+/g, '-')}`;
}

export async function startCompose(docker: DockerCli, images: ImageResolver, req: StartRequest): Promise<Environment> {
  const compose = req.task.compose!;
  const c = req.task.config;
  const flavor = await docker.composeFlavor();
  const [prepared, image] = await Promise.all([
    req.prepared,
    compose.mainImage
      ? undefined
      : images.resolve({ task: req.task, forceBuild: req.forceBuild, signal: req.signal, onLine: req.onLine }),
  ]);
  if (image) req.onImage(image.ref, image.source);
  const name = projectName(req.trialName);
  const spec = containerSpec(req, `${name}-main`, image?.ref ?? '', prepared.mounts);
  const dir = await mkdtemp(path.join(tmpdir(), 'tb2-compose-'));
  const base = path.join(dir, 'base.compose.json');
  await writeFile(
    base,
    JSON.stringify(composeBase({ ...spec, labels: labelsOf(req), network: networkOf(req), compose }), null, 2),
  );
  const project: ComposeProject = {
    name,
    files: [base, compose.file],
    directory: path.dirname(compose.file),
  };
  // Values of `environment: [NAME]` come from compose's own environment.
  const run = (sub: readonly string[], opts: Parameters<DockerCli['compose']>[1] = {}) =>
    docker.compose(composeArgs(flavor, project, sub), { env: c.env, ...opts });
  const down = async () => {
    await run(DOWN, { timeoutMs: 120_000 }).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };

  req.onLine(
    `compose project ${project.name} (${flavor === 'v2' ? 'docker compose' : 'docker-compose'}): ${compose.services.join(', ')}`,
  );
  const deadline = Date.now() + c.buildTimeoutSec * 1000;
  const step = (sub: readonly string[]) =>
    run(sub, { signal: req.signal, timeoutMs: Math.max(1, deadline - Date.now()), onLine: (l) => req.onLine(l) });
  const built = flavor === 'v1' && compose.builds.length ? await step(BUILD_V1) : undefined;
  const up = built && (built.aborted || built.timedOut || built.exitCode !== 0) ? built : await step(UP);
  if (up.aborted || up.timedOut || up.exitCode !== 0) {
    await down();
    // A cancelled `up` can still have the daemon create a container a moment later.
    if (up.aborted) await new Promise((r) => setTimeout(r, 500)).then(down);
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
  // `up` succeeded: `main` was started under its container_name (compose-base.ts).
  const main = TaskContainer.attach(docker, `${project.name}-main`);
  return new ContainerEnvironment(docker, main, req, down);
}
