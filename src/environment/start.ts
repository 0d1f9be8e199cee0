// Starting the task container (LIFECYCLE steps 1-2) without waiting for the image lookup
// when its answer can be guessed. A pinned docker_image (every official TB2 task has one)
// is nearly always local already, so the container starts with `--pull never` while the
// resolver checks; one docker round trip (`image inspect`) leaves the critical path. If the
// guess was wrong, that early start fails harmlessly (no image, nothing created) and the
// container starts as before from what the resolver produced (pulled or built).
import type { Mount } from '../docker/argv.js';
import type { TaskContainer } from '../docker/container.js';
import type { ResolvedImage } from './image.js';

export interface EnvironmentStart {
  prepared: Promise<{ mounts: Mount[] }>;
  resolved: Promise<ResolvedImage>;
  /** An image expected to be local already (a pinned docker_image), if any. */
  guess?: string;
  /** Called once the image is known, before the container is (surely) up. */
  onResolved: (image: ResolvedImage) => void;
  /** Starts and registers a container for removal (the runner's own start()). */
  start: (ref: string, mounts: Mount[], opts: { pullNever: boolean }) => Promise<TaskContainer>;
  signal: AbortSignal;
}

export async function startEnvironment(s: EnvironmentStart): Promise<TaskContainer> {
  const guess = s.guess;
  const early = guess === undefined ? undefined : s.prepared.then((p) => s.start(guess, p.mounts, { pullNever: true }));
  early?.catch(() => undefined); // awaited below on every path; no unhandled rejection meanwhile
  let prepared: { mounts: Mount[] };
  let image: ResolvedImage;
  try {
    [prepared, image] = await Promise.all([s.prepared, s.resolved]);
  } catch (err) {
    // Never leave a start in flight behind a failure: the runner disposes only what it saw.
    await early?.catch(() => undefined);
    throw err;
  }
  s.onResolved(image);
  if (early) {
    try {
      return await early; // the resolver returns a pinned image under its own name
    } catch (err) {
      if (s.signal.aborted) throw err;
    }
  }
  return s.start(image.ref, prepared.mounts, { pullNever: false });
}
