// Pure argv builders for every docker call (docker/build-push-action's getArgs style):
// typed options in, argv out, tested by tables. No value that may be secret is ever put
// here: environment variables are passed as `-e NAME` and read from the client's env.

export const LABEL_MANAGED = 'dev.tb2.managed';
export const LABEL_RUN = 'dev.tb2.run';
export const LABEL_TRIAL = 'dev.tb2.trial';

export interface Mount {
  host: string;
  container: string;
  readonly?: boolean;
}

export interface ContainerSpec {
  name: string;
  image: string;
  labels: Record<string, string>;
  cpus: number;
  memoryMb: number;
  /** Contains fork bombs; TB2 tasks run compilers and servers, so keep it generous. */
  pidsLimit?: number;
  /** undefined = the engine's default bridge; "none", "host" or a network name. */
  network?: string;
  mounts: Mount[];
  /** Names of variables set in the container; values come from the client's env. */
  envNames: string[];
  /** Fail rather than pull when the image is not local (a speculative start). */
  pullNever?: boolean;
  /** `[environment] gpus`: that many GPUs (0 or unset: none). */
  gpus?: number;
}

/** The image's own entrypoint may not keep running; this shell loop does, in any image with sh. */
export const KEEP_ALIVE = 'trap "exit 0" TERM; while :; do sleep 86400 & wait $!; done';

/** A container kept alive so agent and verifier can exec into it (LIFECYCLE step 2). */
export function runArgs(s: ContainerSpec): string[] {
  const args = ['run', '--detach', '--init', '--name', s.name];
  for (const [k, v] of Object.entries(s.labels)) args.push('--label', `${k}=${v}`);
  args.push('--cpus', String(s.cpus), '--memory', `${s.memoryMb}m`, '--memory-swap', `${s.memoryMb}m`);
  if (s.pidsLimit) args.push('--pids-limit', String(s.pidsLimit));
  if (s.network) args.push('--network', s.network);
  if (s.pullNever) args.push('--pull', 'never');
  if (s.gpus) args.push('--gpus', String(s.gpus));
  for (const m of s.mounts) args.push('--volume', `${m.host}:${m.container}${m.readonly ? ':ro' : ''}`);
  for (const n of s.envNames) args.push('--env', n);
  args.push('--entrypoint', 'sh', s.image, '-c', KEEP_ALIVE);
  return args;
}

export interface ExecSpec {
  container: string;
  /** Attach stdin (instruction, scripts fed on stdin). */
  interactive?: boolean;
  envNames?: string[];
  workdir?: string;
  user?: string;
}

export function execArgs(s: ExecSpec, command: readonly string[]): string[] {
  const args = ['exec'];
  if (s.interactive) args.push('--interactive');
  for (const n of s.envNames ?? []) args.push('--env', n);
  if (s.workdir) args.push('--workdir', s.workdir);
  if (s.user) args.push('--user', s.user);
  args.push(s.container, ...command);
  return args;
}

export interface BuildSpec {
  context: string;
  tag: string;
  labels: Record<string, string>;
  noCache?: boolean;
}

/** --force-rm: the legacy builder otherwise leaves a failed RUN step's container behind. */
export function buildArgs(s: BuildSpec): string[] {
  const args = ['build', '--force-rm', '--tag', s.tag];
  for (const [k, v] of Object.entries(s.labels)) args.push('--label', `${k}=${v}`);
  if (s.noCache) args.push('--no-cache');
  args.push(s.context);
  return args;
}

export function copyInArgs(container: string, hostDir: string, containerDir: string): string[] {
  // "dir/." copies the folder's contents, not the folder itself.
  return ['cp', `${hostDir.replace(/\/+$/, '')}/.`, `${container}:${containerDir}`];
}

/** A container path (file or folder) copied to a host path. */
export function copyOutArgs(container: string, containerPath: string, hostPath: string): string[] {
  return ['cp', `${container}:${containerPath}`, hostPath];
}

export function commitArgs(container: string, tag: string, labels: Record<string, string>): string[] {
  const args = ['commit'];
  for (const [k, v] of Object.entries(labels)) args.push('--change', `LABEL ${k}=${v}`);
  args.push(container, tag);
  return args;
}

export function removeContainersArgs(names: readonly string[]): string[] {
  return ['rm', '--force', '--volumes', ...names];
}

export function listByLabelArgs(kind: 'containers' | 'images' | 'networks' | 'volumes', label: string): string[] {
  if (kind === 'networks') return ['network', 'ls', '--quiet', '--filter', `label=${label}`];
  if (kind === 'volumes') return ['volume', 'ls', '--quiet', '--filter', `label=${label}`];
  return kind === 'containers'
    ? ['ps', '--all', '--quiet', '--filter', `label=${label}`]
    : ['images', '--quiet', '--filter', `label=${label}`];
}

export function imageInspectArgs(ref: string): string[] {
  return ['image', 'inspect', '--format', '{{.Id}}', ref];
}

export function pullArgs(ref: string): string[] {
  return ['pull', ref];
}

export function removeImagesArgs(refs: readonly string[]): string[] {
  return ['rmi', '--force', ...refs];
}

/** Whether a container is running: prints true or false. */
export function runningArgs(container: string): string[] {
  return ['container', 'inspect', '--format', '{{.State.Running}}', container];
}

/** The container's processes, one pid a line after a header, read from the host. */
export function topArgs(container: string): string[] {
  return ['top', container, '-o', 'pid'];
}

export function restartArgs(container: string, graceSec = 1): string[] {
  return ['restart', '--time', String(graceSec), container];
}

/** Containers (any state) with one of these ids: a legacy builder's leftover step containers. */
export function psByIdArgs(ids: readonly string[]): string[] {
  return ['ps', '--all', '--quiet', ...ids.flatMap((id) => ['--filter', `id=${id}`])];
}

export function removeNetworksArgs(ids: readonly string[]): string[] {
  return ['network', 'rm', ...ids];
}

export function removeVolumesArgs(names: readonly string[]): string[] {
  return ['volume', 'rm', '--force', ...names];
}
