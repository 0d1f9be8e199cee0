// The task's environment image (LIFECYCLE step 1): the pinned docker_image (local first,
// else pulled) unless a build is forced; otherwise `docker build environment/` under the
// task's build timeout, tagged by content. One resolver per process shares images between
// attempts of a task and never builds the same tag twice at once.
import path from 'node:path';
import { CancelledError, InfraError } from '../errors.js';
import type { Task } from '../task/load.js';
import { digestDir } from '../task/digest.js';
import { buildArgs, LABEL_MANAGED, removeContainersArgs } from '../docker/argv.js';
import type { DockerCli } from '../docker/cli.js';
import { lastLine } from '../docker/cli.js';

export interface ImageRequest {
  task: Task;
  forceBuild: boolean;
  signal: AbortSignal;
  onLine: (line: string) => void;
  /** A folder of the task to build instead of environment/ (the separate verifier's tests/). */
  context?: string;
}

export interface ResolvedImage {
  ref: string;
  source: 'local' | 'pulled' | 'built' | 'cached-build';
}

export class ImageResolver {
  private readonly inflight = new Map<string, Promise<ResolvedImage>>();

  constructor(private readonly docker: DockerCli) {}

  resolve(req: ImageRequest): Promise<ResolvedImage> {
    const key = `${req.task.dir}\0${req.forceBuild}\0${req.context ?? ''}\0${req.task.config.dockerImage ?? ''}`;
    let p = this.inflight.get(key);
    if (!p) {
      p = this.resolveOnce(req);
      this.inflight.set(key, p);
      p.catch(() => this.inflight.delete(key)); // a failed or cancelled attempt may be retried
    }
    return p;
  }

  private async exists(ref: string, signal: AbortSignal): Promise<boolean> {
    const res = await this.docker.call(['image', 'inspect', '--format', '{{.Id}}', ref], { signal, timeoutMs: 30_000 });
    // A daemon that accepts and never answers would otherwise send us on to a pull or a
    // build under a timeout of many minutes.
    if (res.timedOut)
      throw new InfraError(
        'DockerUnavailable',
        `Docker daemon did not answer within 30 s (docker image inspect ${ref})`,
      );
    return res.exitCode === 0;
  }

  private async resolveOnce({ task, forceBuild, signal, onLine, context }: ImageRequest): Promise<ResolvedImage> {
    const pinned = task.config.dockerImage;
    if (pinned && !forceBuild) {
      if (await this.exists(pinned, signal)) return { ref: pinned, source: 'local' };
      onLine(`pulling ${pinned}`);
      const res = await this.docker.call(['pull', pinned], {
        signal,
        onLine,
        timeoutMs: task.config.buildTimeoutSec * 1000,
      });
      if (res.aborted) throw CancelledError.of(signal);
      if (res.timedOut)
        throw new InfraError(
          'ImagePullError',
          `docker pull ${pinned} timed out after ${task.config.buildTimeoutSec}s (task.toml [environment] build_timeout_sec)`,
        );
      if (res.exitCode !== 0)
        throw new InfraError('ImagePullError', `docker pull ${pinned} failed: ${lastLine(res.stderrTail)}`);
      return { ref: pinned, source: 'pulled' };
    }
    const envDir = context ?? path.join(task.dir, 'environment');
    const from = `${path.relative(task.dir, envDir)}/`;
    const tag = `tb2-env/${task.slug.toLowerCase()}${context ? '-verifier' : ''}:${(await digestDir(envDir)).slice(0, 16)}`;
    if (!forceBuild && (await this.exists(tag, signal))) return { ref: tag, source: 'cached-build' };
    onLine(`building ${tag} from ${from}`);
    const steps: string[] = [];
    const res = await this.docker.call(buildArgs({ context: envDir, tag, labels: { [LABEL_MANAGED]: 'true' } }), {
      signal,
      onLine: (line) => {
        const step = STEP_CONTAINER.exec(line);
        if (step) steps.push(step[1]);
        onLine(line);
      },
      timeoutMs: task.config.buildTimeoutSec * 1000,
    });
    if (res.aborted || res.timedOut) await removeStepContainers(this.docker, steps);
    if (res.aborted) throw CancelledError.of(signal);
    if (res.timedOut)
      throw new InfraError(
        'BuildTimeoutError',
        `docker build of ${from} timed out after ${task.config.buildTimeoutSec}s (task.toml [environment] build_timeout_sec)`,
      );
    if (res.exitCode !== 0)
      throw new InfraError('ImageBuildError', `docker build of ${from} failed: ${lastLine(res.stderrTail)}`);
    return { ref: tag, source: 'built' };
  }
}

// The legacy builder names each RUN step's container (" ---> Running in <id>") and carries
// none of our labels on it. Killing the client only asks the daemon to clean up, which it
// does seconds later, after we exit: remove the step's container ourselves and wait.
const STEP_CONTAINER = /^\s*---> Running in ([0-9a-f]{12,64})\s*$/;

async function removeStepContainers(docker: DockerCli, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await docker.call(removeContainersArgs(ids), { timeoutMs: 30_000 }).catch(() => undefined);
  // "removal already in progress" when the daemon got there first: wait until it is done.
  for (let i = 0; i < 40; i++) {
    const left = await docker
      .call(['ps', '--all', '--quiet', ...ids.flatMap((id) => ['--filter', `id=${id}`])], { timeoutMs: 10_000 })
      .catch(() => undefined);
    if (!left?.stdout.trim()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
