// Our base definition of a compose project, layered before the task's own file (Harbor's
// compose environments): service `main` runs the task image with a keep-alive command, the
// log bind mounts, cpu and memory limits that apply outside swarm (`cpus`, `mem_limit`:
// `deploy.resources.limits` is ignored there), the task's variables by name only, and our
// labels, which every service, network and volume of the project also gets so the post
// step's sweep finds them. The task's file can override `main` and add sidecars. Written
// as JSON, which is YAML. Pure. https://docs.docker.com/reference/compose-file/services/
import { KEEP_ALIVE, type ContainerSpec } from '../docker/argv.js';
import type { ComposeFile } from '../task/compose.js';

/**
 * `main` as the single-container path would run it (container-env.ts containerSpec): its
 * name is the container_name, so no `ps` is needed to find it; the variables' values come
 * from compose's own environment; network "none" makes the project's networks internal.
 */
export type BaseSpec = ContainerSpec & { compose: ComposeFile };

export function composeBase(s: BaseSpec): Record<string, unknown> {
  const labels = s.labels;
  // No network: the project's networks are internal (composeNetworks), sidecars reachable.
  const internal = s.network === 'none';
  const main: Record<string, unknown> = {
    // Unless the task's file builds or names `main`'s image itself.
    ...(s.compose.mainImage ? {} : { image: s.image }),
    container_name: s.name,
    // `$$` is compose's `$`.
    entrypoint: ['sh', '-c', KEEP_ALIVE.replace(/\$/g, '$$$$')],
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
  return { services };
}

/**
 * The project's networks and volumes, written as a third file after the task's: compose v1
 * does not merge top-level networks or volumes across files (a later file's entry replaces
 * an earlier one whole), so each carries the task's own definition plus our labels, and
 * `internal` for a no-network task. An external network or volume is left alone.
 */
export function composeNetworks(s: Pick<BaseSpec, 'labels' | 'network' | 'compose'>): Record<string, unknown> {
  const internal = s.network === 'none' ? { internal: true } : {};
  const networks: Record<string, unknown> = {};
  const defs = s.compose.externalDefault ? s.compose.networks : { default: {}, ...s.compose.networks };
  for (const [name, def] of Object.entries(defs)) {
    networks[name] = { ...def, labels: { ...labelsOf(def), ...s.labels }, ...internal };
  }
  const volumes: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(s.compose.volumes)) {
    volumes[name] = { ...def, labels: { ...labelsOf(def), ...s.labels } };
  }
  return { networks, ...(Object.keys(volumes).length ? { volumes } : {}) };
}

/** A definition's own labels (a mapping, or a list of "k=v"). */
function labelsOf(def: Record<string, unknown>): Record<string, string> {
  const l = def.labels;
  if (Array.isArray(l)) {
    return Object.fromEntries(l.map((x) => String(x).split('=')).map(([k, ...v]) => [k, v.join('=')]));
  }
  return l && typeof l === 'object' ? (l as Record<string, string>) : {};
}
