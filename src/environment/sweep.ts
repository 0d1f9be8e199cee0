// The backstop after a run (the action's post step, which GitHub runs even after a cancel):
// remove every container and snapshot image still carrying this run's label. Normally
// the runner has removed them already and this finds nothing.
import { LABEL_RUN, listByLabelArgs, removeContainersArgs } from '../docker/argv.js';
import type { DockerCli } from '../docker/cli.js';

export interface Swept {
  containers: string[];
  images: string[];
}

export async function sweepRun(docker: DockerCli, runId: string): Promise<Swept> {
  const label = `${LABEL_RUN}=${runId}`;
  const list = async (kind: 'containers' | 'images') => [
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
  if (images.length) await docker.ok(['rmi', '--force', ...images], { timeoutMs: 60_000 });
  return { containers, images };
}
