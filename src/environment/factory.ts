// Starting a trial's environment (LIFECYCLE steps 1-2): the image by the task's policy
// (image.ts), then one container (start.ts) or a docker compose project (compose-env.ts),
// then the task's own settings: its workdir made, its healthcheck passed. Anything started
// before a failure is removed again before the error goes up: the runner only disposes
// what it was handed.
import type { DockerCli } from '../docker/cli.js';
import { TaskContainer } from '../docker/container.js';
import { startCompose } from './compose-env.js';
import { ContainerEnvironment, containerName, containerSpec } from './container-env.js';
import { awaitHealthy, probeOutput } from './healthcheck.js';
import { ImageResolver } from './image.js';
import { startEnvironment } from './start.js';
import { shQuote, type Environment, type Environments, type StartRequest } from './types.js';
import { startVerifierEnvironment, type VerifierStartRequest } from './verifier-env.js';

export class DockerEnvironments implements Environments {
  private readonly images: ImageResolver;

  constructor(private readonly docker: DockerCli) {
    this.images = new ImageResolver(docker);
  }

  async start(req: StartRequest): Promise<Environment> {
    const c = req.task.config;
    const env = req.task.compose ? await startCompose(this.docker, this.images, req) : await this.startContainer(req);
    try {
      if (c.workdir) await env.run(workdirScript(c.workdir, c.agentUser), req.signal, '0');
      const h = c.healthcheck;
      if (h) {
        req.onLine(`healthcheck: ${h.command}`);
        await awaitHealthy(h, {
          signal: req.signal,
          onLine: req.onLine,
          probe: async () => {
            const res = await env.exec(h.command, {
              tag: 'healthcheck',
              timeoutMs: h.timeoutSec * 1000,
              signal: req.signal,
              cwd: c.workdir,
            });
            return {
              ok: res.exitCode === 0 && !res.timedOut,
              output: probeOutput(res, h.timeoutSec),
              aborted: res.aborted,
            };
          },
        });
      }
    } catch (err) {
      await env.stop();
      throw err;
    }
    return env;
  }

  startVerifier(req: VerifierStartRequest): Promise<Environment> {
    return startVerifierEnvironment(this.docker, this.images, req);
  }

  private async startContainer(req: StartRequest): Promise<Environment> {
    const started: TaskContainer[] = [];
    const c = req.task.config;
    try {
      const main = await startEnvironment({
        prepared: req.prepared,
        resolved: this.images.resolve({
          task: req.task,
          forceBuild: req.forceBuild,
          signal: req.signal,
          onLine: req.onLine,
        }),
        guess: req.forceBuild ? undefined : c.dockerImage,
        onResolved: (image) => req.onImage(image.ref, image.source),
        start: async (ref, mounts, { pullNever }) => {
          const spec = { ...containerSpec(req, containerName(req.trialName), ref, mounts), pullNever };
          const container = await TaskContainer.start(this.docker, spec, c.env, req.signal);
          started.push(container);
          return container;
        },
        signal: req.signal,
      });
      return new ContainerEnvironment(this.docker, main, req, () => main.remove());
    } catch (err) {
      for (const s of started) await s.remove();
      throw err;
    }
  }
}

/** Make `[environment] workdir`; one tb2 made is the agent user's, so that user can write it. */
export function workdirScript(dir: string, user?: string): string {
  const d = shQuote(dir);
  const own = user ? ` && chown ${shQuote(user)} ${d} 2>/dev/null` : '';
  return `[ -d ${d} ] || { mkdir -p ${d}${own}; }`;
}
