// The backstop after a run (the action's post step, which GitHub runs even after a cancel):
// remove every container, snapshot image, and compose network and volume still carrying
// this run's label (compose-base.ts labels every service, network and volume of a project).
// Normally the runner has removed them already and this finds nothing.
import {
  LABEL_RUN,
  listByLabelArgs,
  removeContainersArgs,
  removeImagesArgs,
  removeNetworksArgs,
  removeVolumesArgs,
} from '../docker/argv.js';
import type { DockerCli } from '../docker/cli.js';

export interface Swept {
  containers: string[];
  images: string[];
  networks: string[];
  volumes: string[];
}

export async function sweepRun(docker: DockerCli, runId: string): Promise<Swept> {
  const label = `${LABEL_RUN}=${runId}`;
  const list = async (kind: 'containers' | 'images' | 'networks' | 'volumes') => [
    ...new Set(
      (await docker.ok(listByLabelArgs(kind, label), { timeoutMs: 30_000 }))
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  // Containers first: an image still used by a container cannot be removed.
  const containers = await list('containers');
  if (containers.length) await docker.ok(removeContainersArgs(containers), { timeoutMs: 60_000 });
  const images = await list('images');
  if (images.length) await docker.ok(removeImagesArgs(images), { timeoutMs: 60_000 });
  // Networks and volumes once no container uses them.
  const networks = await list('networks');
  if (networks.length) await docker.ok(removeNetworksArgs(networks), { timeoutMs: 60_000 });
  const volumes = await list('volumes');
  if (volumes.length) await docker.ok(removeVolumesArgs(volumes), { timeoutMs: 60_000 });
  return { containers, images, networks, volumes };
}
