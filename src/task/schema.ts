// task.toml in both real-world dialects (README "Task format"):
//   TB2.0:  version = "1.0", [environment] memory = "2G", storage = "10G"
//   later:  schema_version = "1.1", [task] name, [environment] memory_mb, storage_mb,
//           allow_internet | network_mode
// Unknown keys are kept (loose objects); wrong types are rejected with the key and what
// was expected. Harbor's model: https://github.com/laude-institute/harbor
// (src/harbor/models/task/config.py).
import { z } from 'zod';
import { mcpServerSchema, toMcpServers, type McpServer } from './mcp.js';

const envTable = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));
const positive = z.number().positive().finite();

/** "2G", "512M", "1.5GB", "2048" (plain numbers are MB) -> MB. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(i?B?)?\s*$/i.exec(text);
  if (!m) return undefined;
  const factor = { '': 1, K: 1 / 1024, M: 1, G: 1024, T: 1024 * 1024 }[m[2].toUpperCase() as 'K'];
  const mb = Number(m[1]) * factor;
  return mb > 0 ? Math.ceil(mb) : undefined;
}

/** A user to run a phase as: a name or a uid (Harbor: `str | int`). */
const userName = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);
/** "allowlist" is parsed so it can be refused by name (load.ts), never run with more network. */
const networkMode = z.enum(['public', 'no-network', 'allowlist']);
const nonNegative = z.number().nonnegative().finite();

const sizeString = z.string().refine((s) => parseSize(s) !== undefined, {
  message: 'expected a size such as "2G" or "512M"',
});

export const taskTomlSchema = z.looseObject({
  version: z.string().optional(),
  schema_version: z.string().optional(),
  task: z.looseObject({ name: z.string().min(1).optional() }).optional(),
  metadata: z.looseObject({}).optional(),
  agent: z
    .looseObject({ timeout_sec: positive.optional(), user: userName.optional(), network_mode: networkMode.optional() })
    .optional(),
  verifier: z
    .looseObject({
      timeout_sec: positive.optional(),
      env: envTable.optional(),
      user: userName.optional(),
      network_mode: networkMode.optional(),
    })
    .optional(),
  solution: z.looseObject({ env: envTable.optional() }).optional(),
  environment: z
    .looseObject({
      build_timeout_sec: positive.optional(),
      docker_image: z.string().min(1).optional(),
      cpus: positive.optional(),
      memory: sizeString.optional(),
      memory_mb: positive.optional(),
      storage: sizeString.optional(),
      storage_mb: positive.optional(),
      allow_internet: z.boolean().optional(),
      network_mode: networkMode.optional(),
      env: envTable.optional(),
      mcp_servers: z.array(mcpServerSchema).optional(),
      workdir: z.string().startsWith('/', 'expected an absolute path').optional(),
      gpus: z.number().int().nonnegative().optional(),
      os: z.string().optional(),
      healthcheck: z
        .looseObject({
          command: z.string().min(1),
          interval_sec: nonNegative.optional(),
          timeout_sec: positive.optional(),
          start_period_sec: nonNegative.optional(),
          start_interval_sec: nonNegative.optional(),
          retries: z.number().int().positive().optional(),
        })
        .optional(),
    })
    .optional(),
});
export type TaskToml = z.infer<typeof taskTomlSchema>;

export type NetworkPolicy = 'public' | 'no-network';

/** `[environment] healthcheck`, with Harbor's defaults applied. */
export interface Healthcheck {
  command: string;
  intervalSec: number;
  timeoutSec: number;
  startPeriodSec: number;
  startIntervalSec: number;
  retries: number;
}

/** The task's settings with every default applied once (Harbor's defaults). */
export interface TaskConfig {
  agentTimeoutSec: number;
  verifierTimeoutSec: number;
  buildTimeoutSec: number;
  dockerImage?: string;
  cpus: number;
  memoryMb: number;
  storageMb?: number;
  network: NetworkPolicy;
  /** `[environment] workdir`: the cwd of the agent, solve.sh and test.sh. */
  workdir?: string;
  /** `[agent] user` / `[verifier] user`: who each phase runs as (default: the image's USER). */
  agentUser?: string;
  verifierUser?: string;
  gpus: number;
  healthcheck?: Healthcheck;
  env: Record<string, string>;
  verifierEnv: Record<string, string>;
  solutionEnv: Record<string, string>;
  /** `[[environment.mcp_servers]]`: handed to agents that take MCP configuration. */
  mcpServers: McpServer[];
  metadata: Record<string, unknown>;
}

export function toTaskConfig(t: TaskToml): TaskConfig {
  const e = t.environment ?? {};
  const mode = e.network_mode === 'allowlist' ? 'public' : e.network_mode; // refused in load.ts
  const network: NetworkPolicy = mode ?? (e.allow_internet === false ? 'no-network' : 'public');
  const h = e.healthcheck;
  return {
    agentTimeoutSec: t.agent?.timeout_sec ?? 600,
    verifierTimeoutSec: t.verifier?.timeout_sec ?? 600,
    buildTimeoutSec: e.build_timeout_sec ?? 600,
    dockerImage: e.docker_image,
    cpus: e.cpus ?? 1,
    memoryMb: e.memory_mb ?? (e.memory ? parseSize(e.memory)! : 2048),
    storageMb: e.storage_mb ?? (e.storage ? parseSize(e.storage) : undefined),
    network,
    workdir: e.workdir,
    agentUser: t.agent?.user,
    verifierUser: t.verifier?.user,
    gpus: e.gpus ?? 0,
    healthcheck: h && {
      command: h.command,
      intervalSec: h.interval_sec ?? 5,
      timeoutSec: h.timeout_sec ?? 30,
      startPeriodSec: h.start_period_sec ?? 0,
      startIntervalSec: h.start_interval_sec ?? 5,
      retries: h.retries ?? 3,
    },
    env: e.env ?? {},
    verifierEnv: t.verifier?.env ?? {},
    solutionEnv: t.solution?.env ?? {},
    mcpServers: toMcpServers(e.mcp_servers),
    metadata: t.metadata ?? {},
  };
}

/**
 * Settings tb2 reads but will not run as asked, each as one line (or undefined): a task is
 * never run with more network, or on another OS, than it says.
 */
export function unsupportedSetting(t: TaskToml): string | undefined {
  const e = t.environment ?? {};
  if (e.os !== undefined && e.os.toLowerCase() !== 'linux') {
    return `[environment] os: "${e.os}" is not supported (tb2 runs Linux containers only)`;
  }
  const envMode = e.network_mode ?? (e.allow_internet === false ? 'no-network' : 'public');
  const modes: Array<[string, string | undefined]> = [
    ['environment', e.network_mode],
    ['agent', t.agent?.network_mode],
    ['verifier', t.verifier?.network_mode],
  ];
  for (const [section, mode] of modes) {
    if (mode === 'allowlist') {
      return `[${section}] network_mode: "allowlist" is not supported yet; tb2 will not run a task with more network than it asks for (use "no-network" or "public")`;
    }
  }
  for (const [section, mode] of modes.slice(1)) {
    if (mode !== undefined && mode !== envMode) {
      return `[${section}] network_mode: "${mode}" differs from the environment's "${envMode}"; a network per phase is not supported yet`;
    }
  }
  return undefined;
}

/** One zod issue as "[environment] memory_mb: expected number, got string". */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const path = issue.path.map(String);
  const key = path.length > 1 ? `[${path.slice(0, -1).join('.')}] ${path.at(-1)}` : (path[0] ?? '(root)');
  let got: unknown = input;
  for (const p of issue.path)
    got = got && typeof got === 'object' ? (got as Record<PropertyKey, unknown>)[p] : undefined;
  const shown = got === undefined ? '' : `, got ${JSON.stringify(got)}`;
  return `${key}: ${issue.message.replace(/^Invalid input: /, '')}${shown}`;
}
