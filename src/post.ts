// The action's post step (action.yml `runs.post`), which GitHub runs even after a cancel:
// sweep any container or snapshot image still labelled with the main step's run id.
// Never fails the job: a leftover is worth a warning, not a red build.
import * as core from '@actions/core';
import { STATE_RUN_ID } from './config/state.js';
import { DockerCli } from './docker/cli.js';
import { asTb2Error } from './errors.js';
import { sweepRun } from './environment/sweep.js';

async function post(): Promise<void> {
  const runId = core.getState(STATE_RUN_ID);
  if (!runId) return core.info('tb2 post: no run id saved by the main step; nothing to clean');
  const swept = await sweepRun(new DockerCli(), runId);
  const { containers, images, networks, volumes } = swept;
  if (containers.length + images.length + networks.length + volumes.length === 0)
    core.info(`tb2 post: nothing left to clean for run ${runId}`);
  else
    core.warning(
      `tb2 post: removed ${containers.length} container(s), ${images.length} image(s), ${networks.length} network(s) and ${volumes.length} volume(s) left by run ${runId}`,
    );
}

if (!process.env.TB2_BUNDLE_SMOKE) {
  post()
    .catch((err) => core.warning(`tb2 post: cleanup failed: ${asTb2Error(err).message}`))
    .finally(() => process.exit());
}
