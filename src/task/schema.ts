// task.toml in both real-world dialects (README "Task format"):
//   TB2.0:  version = "1.0", [environment] memory = "2G", storage = "10G"
//   later:  schema_version = "1.1", [task] name, [environment] memory_mb, storage_mb,
//           allow_internet | network_mode
// Unknown keys are kept (loose objects); wrong types are rejected with the key and what
// was expected. Harbor's model: https://github.com/laude-institute/harbor
// (src/harbor/models/task/config.py).
import { z } from 'zod';

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

const sizeString = z.string().refine((s) => parseSize(s) !== undefined, {
  message: 'expected a size such as "2G" or "512M"',
});

export const taskTomlSchema = z.looseObject({
  version: z.string().optional(),
  schema_version: z.string().optional(),
  task: z.looseObject({ name: z.string().min(1).optional() }).optional(),
  metadata: z.looseObject({}).optional(),
  agent: z.looseObject({ timeout_sec: positive.optional() }).optional(),
  verifier: z.looseObject({ timeout_sec: positive.optional(), env: envTable.optional() }).optional(),
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
      network_mode: z.enum(['public', 'no-network']).optional(),
      env: envTable.optional(),
    })
    .optional(),
});
export type TaskToml = z.infer<typeof taskTomlSchema>;

export type NetworkPolicy = 'public' | 'no-network';

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
  env: Record<string, string>;
  verifierEnv: Record<string, string>;
  solutionEnv: Record<string, string>;
  metadata: Record<string, unknown>;
}

export function toTaskConfig(t: TaskToml): TaskConfig {
  const e = t.environment ?? {};
  const network: NetworkPolicy = e.network_mode ?? (e.allow_internet === false ? 'no-network' : 'public');
  return {
    agentTimeoutSec: t.agent?.timeout_sec ?? 600,
    verifierTimeoutSec: t.verifier?.timeout_sec ?? 600,
    buildTimeoutSec: e.build_timeout_sec ?? 600,
    dockerImage: e.docker_image,
    cpus: e.cpus ?? 1,
    memoryMb: e.memory_mb ?? (e.memory ? parseSize(e.memory)! : 2048),
    storageMb: e.storage_mb ?? (e.storage ? parseSize(e.storage) : undefined),
    network,
    env: e.env ?? {},
    verifierEnv: t.verifier?.env ?? {},
    solutionEnv: t.solution?.env ?? {},
    metadata: t.metadata ?? {},
  };
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
