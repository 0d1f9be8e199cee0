// Our base definition of a compose project, layered before the task's own file (Harbor's
// compose environments): service `main` runs the task image with a keep-alive command, the
// log bind mounts, cpu and memory limits that apply outside swarm (`cpus`, `mem_limit`:
// `deploy.resources.limits` is ignored there), the task's variables by name only, and our
// labels, which every service, network and volume of the project also gets so the post
// step's sweep finds them. The task's file can override `main` and add sidecars. Written
// as JSON, which is YAML. Pure. https://docs.docker.com/reference/compose-file/services/
import type { Mount } from '../docker/argv.js';
import type { ComposeFile } from '../task/compose.js';

/** The task container's keep-alive shell, as in argv.ts runArgs; `$$` is compose's `$`. */
const KEEP_ALIVE = 'trap "exit 0" TERM; while :; do sleep 86400 & wait $$!; done';

export interface BaseSpec {
  /** `main`'s container name: known in advance, so no `ps` is needed to find it. */
  name: string;
  /** The task image (pinned, or built from environment/ by content). */
  image: string;
  labels: Record<string, string>;
  cpus: number;
  memoryMb: number;
  pidsLimit?: number;
  gpus?: number;
  mounts: Mount[];
  /** Variables set in `main`; compose reads their values from its own environment. */
  envNames: string[];
  /** The network override ("host", a network name), or "none" for a no-network task. */
  network?: string;
  compose: ComposeFile;
}

export function composeBase(s: BaseSpec): Record<string, unknown> {
  const labels = s.labels;
  // No network: the project's networks stay, internal (sidecars reachable, nothing outside).
  const internal = s.network === 'none';
  const main: Record<string, unknown> = {
    // Unless the task's file builds or names `main`'s image itself.
    ...(s.compose.mainImage ? {} : { image: s.image }),
    container_name: s.name,
    entrypoint: ['sh', '-c', KEEP_ALIVE],
    init: true,
    labels,
    cpus: s.cpus,
    mem_limit: `${s.memoryMb}m`,
    memswap_limit: `${s.memoryMb}m`,
    volumes: s.mounts.map((m) => `${m.host}:${m.container}${m.readonly ? ':ro' : ''}`),
    environment: s.envNames,
  };
  if (s.pidsLimit) main.pids_limit = s.pidsLimit;
  if (s.network && !internal) main.network_mode = s.network;
  if (s.gpus) {
    main.deploy = {
      resources: { reservations: { devices: [{ driver: 'nvidia', count: s.gpus, capabilities: ['gpu'] }] } },
    };
  }
  const services: Record<string, unknown> = { main };
  for (const name of s.compose.services) if (name !== 'main') services[name] = { labels };
  const networks: Record<string, unknown> = {};
  for (const name of ['default', ...s.compose.networks])
    networks[name] = { labels, ...(internal ? { internal: true } : {}) };
  const volumes: Record<string, unknown> = {};
  for (const name of s.compose.volumes) volumes[name] = { labels };
  return { services, networks, ...(s.compose.volumes.length ? { volumes } : {}) };
}
