// task.toml's multi-step, artifact and verifier-environment keys (schema_version 1.1+), as
// Harbor v0.22 reads them (src/harbor/models/task/config.py: StepConfig, ArtifactConfig,
// VerifierConfig.environment_mode / environment, TaskConfig.multi_step_reward_strategy).
// schema.ts composes these into taskTomlSchema; load.ts checks the step folders.
import path from 'node:path';
import { z } from 'zod';

const positive = z.number().positive().finite();
const userName = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);
const envTable = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));
const noDotDot = (p: string) => !p.split('/').includes('..');

/** An artifact entry's container path: never `..` (Harbor: it also decides the host path). */
const source = z.string().min(1).refine(noDotDot, { message: "expected a path without '..' components" });
/** A destination under `<trial>/artifacts/`: relative, `/`-separated, no `..`, not the manifest. */
const destination = z
  .string()
  .refine((d) => !d.startsWith('/') && !d.includes('\\') && noDotDot(d), {
    message: "expected a relative path with '/' separators and no '..' components",
  })
  .refine((d) => d.replace(/\/+$/, '') !== 'manifest.json', {
    message: '"manifest.json" is reserved for the collection manifest',
  });

/** `artifacts = ["/path", {source, destination}]`: a path, or a table (Harbor's ArtifactConfig). */
export const artifactEntry = z.union(
  [
    source,
    z.looseObject({
      source,
      destination: destination.optional(),
      exclude: z.array(z.string()).optional(),
      service: z.string().min(1).optional(),
    }),
  ],
  { error: 'expected a container path, or a table {source, destination}' },
);
export const artifactList = z.array(artifactEntry);

export const verifierModeSchema = z.enum(['shared', 'separate']);

/** `[verifier.environment]`: the separate verifier's own environment (Harbor's EnvironmentConfig). */
export const verifierEnvironment = z.looseObject({
  docker_image: z.string().min(1).optional(),
  cpus: positive.optional(),
  memory_mb: positive.optional(),
  build_timeout_sec: positive.optional(),
  workdir: z.string().startsWith('/', 'expected an absolute path').optional(),
});

/** A step name is a folder under steps/: one plain path component. */
const stepName = z
  .string({ error: 'expected a step name (a string naming its folder under steps/)' })
  .min(1)
  .refine((n) => n === path.basename(n) && n !== '.' && n !== '..' && !n.includes('\\'), {
    message: 'expected a plain folder name under steps/ (no "/" or "..")',
  });

const stepVerifier = z.looseObject({
  timeout_sec: positive.optional(),
  env: envTable.optional(),
  user: userName.optional(),
  environment_mode: verifierModeSchema.optional(),
  environment: verifierEnvironment.optional(),
});

export const stepSchema = z.looseObject({
  name: stepName,
  agent: z.looseObject({ timeout_sec: positive.optional(), user: userName.optional() }).optional(),
  verifier: stepVerifier.optional(),
  min_reward: z.union([z.number(), z.record(z.string(), z.number())]).optional(),
  artifacts: artifactList.optional(),
});

/** One normalised artifact entry (a path entry has no destination). */
export interface ArtifactSpec {
  source: string;
  destination?: string;
  service?: string;
}

export type VerifierEnvSpec = z.infer<typeof verifierEnvironment>;

export function toArtifacts(list: z.infer<typeof artifactList> | undefined): ArtifactSpec[] {
  return (list ?? []).map((a) =>
    typeof a === 'string'
      ? { source: a }
      : {
          source: a.source,
          ...(a.destination ? { destination: a.destination } : {}),
          ...(a.service ? { service: a.service } : {}),
        },
  );
}

/** Harbor's resolution: an explicit mode, else "separate" when an environment is given. */
export function modeOf(v: { environment_mode?: 'shared' | 'separate'; environment?: unknown } | undefined) {
  return v?.environment_mode ?? (v?.environment !== undefined ? 'separate' : undefined);
}
