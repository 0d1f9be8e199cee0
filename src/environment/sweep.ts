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
import { InfraError } from '../errors.js';

export interface Swept {
  containers: string[];
  images: string[];
  networks: string[];
  volumes: string[];
}

export async function sweepRun(docker: DockerCli, runId: string): Promise<Swept> {
  const label = `${LABEL_RUN}=${runId}`;
  const errors: string[] = [];
  type Kind = 'containers' | 'images' | 'networks' | 'volumes';
  const remove: Record<Kind, (ids: string[]) => string[]> = {
    containers: removeContainersArgs,
    images: removeImagesArgs,
    networks: removeNetworksArgs,
    volumes: removeVolumesArgs,
  };
  // Each kind on its own: one that fails (a network still in use) does not stop the rest.
  const sweep = async (kind: Kind): Promise<string[]> => {
    try {
      const out = await docker.ok(listByLabelArgs(kind, label), { timeoutMs: 30_000 });
      const ids = [
        ...new Set(
          out
            .split('\n')
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ];
      if (ids.length) await docker.ok(remove[kind](ids), { timeoutMs: 60_000 });
      return ids;
    } catch (err) {
      errors.push(`${kind}: ${(err as Error).message}`);
      return [];
    }
  };
  // Containers first: an image, network or volume still in use cannot be removed.
  const containers = await sweep('containers');
  const images = await sweep('images');
  const networks = await sweep('networks');
  const volumes = await sweep('volumes');
  if (errors.length) throw new InfraError('SweepError', `could not remove everything: ${errors.join('; ')}`);
  return { containers, images, networks, volumes };
}
