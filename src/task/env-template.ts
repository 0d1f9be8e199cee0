// Env templating of task.toml's env tables ([environment.env], [verifier.env],
// [solution.env]), as Harbor v0.22 does it (src/harbor/utils/env.py, resolve_env_vars): a
// whole value `${VAR}` or `${VAR:-default}` takes the caller's VAR, a set-but-empty VAR
// included, else the default; an unset VAR without a default is an error; any other value,
// text around a template included, stays literal. Values taken from the caller are secrets
// (a task can ask for a key this way): they reach the container by name only, and every
// file of the job folder and the log is scrubbed of them (report/scrub.ts).
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { TaskValidationError } from '../errors.js';
import { expandTaskArgs } from './discover.js';

const MAX_TOML_BYTES = 1024 * 1024;

/** Harbor's `_TEMPLATE_PATTERN` under `fullmatch`: `.` stops at a newline there too. */
const TEMPLATE = /^\$\{([^}:]+)(?::-(.*))?\}$/;

export interface EnvTemplate {
  name: string;
  /** `${VAR:-}` has an empty default; `${VAR}` none. */
  fallback?: string;
}

export function templateOf(value: string): EnvTemplate | undefined {
  const m = TEMPLATE.exec(value);
  if (!m) return undefined;
  return m[2] === undefined ? { name: m[1] } : { name: m[1], fallback: m[2] };
}

export interface ResolvedEnv {
  env: Record<string, string>;
  /** The values that came from the caller's environment: secrets. */
  fromCaller: string[];
}

/** One table; `table` names it in the error ("[environment.env]"). */
export function resolveEnvTable(values: Record<string, string>, caller: NodeJS.ProcessEnv, table: string): ResolvedEnv {
  const env: Record<string, string> = {};
  const fromCaller: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const t = templateOf(value);
    const given = t ? caller[t.name] : undefined;
    if (!t) env[key] = value;
    else if (given !== undefined) {
      env[key] = given;
      fromCaller.push(given);
    } else if (t.fallback !== undefined) env[key] = t.fallback;
    else
      throw new TaskValidationError(
        `task.toml: ${table} ${key}: "${value}" needs ${t.name}, which is not set in the caller's environment (set it, or give a default: \${${t.name}:-value})`,
      );
  }
  return { env, fromCaller };
}

export interface TemplatedTables {
  env: Record<string, string>;
  verifierEnv: Record<string, string>;
  solutionEnv: Record<string, string>;
}

/**
 * The three tables resolved. [solution.env] only when the oracle runs solve.sh: Harbor
 * resolves it in its oracle agent, so another agent never needs its variables.
 */
export function resolveTaskEnv<T extends TemplatedTables>(
  config: T,
  caller: NodeJS.ProcessEnv,
  withSolution: boolean,
): { config: T; secrets: string[] } {
  const env = resolveEnvTable(config.env, caller, '[environment.env]');
  const verifierEnv = resolveEnvTable(config.verifierEnv, caller, '[verifier.env]');
  const solutionEnv = withSolution
    ? resolveEnvTable(config.solutionEnv, caller, '[solution.env]')
    : { env: config.solutionEnv, fromCaller: [] };
  return {
    config: { ...config, env: env.env, verifierEnv: verifierEnv.env, solutionEnv: solutionEnv.env },
    secrets: [...env.fromCaller, ...verifierEnv.fromCaller, ...solutionEnv.fromCaller],
  };
}

/**
 * Before a job starts, the caller's values every task's templates would take, so the
 * scrubbing of files and log knows them from the first line. Never fails: a task that
 * does not read is reported by its own trial.
 */
export async function templatedCallerValues(taskArgs: readonly string[], caller: NodeJS.ProcessEnv): Promise<string[]> {
  const dirs = await expandTaskArgs(taskArgs).catch(() => [] as string[]);
  const out = new Set<string>();
  for (const dir of dirs) {
    const file = path.join(dir, 'task.toml');
    // Only a regular file of sane size: a FIFO would block the read for ever (files.ts refuses it later).
    const st = await stat(file).catch(() => undefined);
    if (!st?.isFile() || st.size > MAX_TOML_BYTES) continue;
    const raw = await readFile(file, 'utf8')
      .then((t) => parseToml(t) as Record<string, unknown>)
      .catch(() => undefined);
    const envOf = (t: unknown) => (t as Record<string, unknown> | undefined)?.env;
    const steps = Array.isArray(raw?.steps) ? (raw.steps as Array<Record<string, unknown>>) : [];
    const tables = [
      envOf(raw?.environment),
      envOf(raw?.verifier),
      envOf(raw?.solution),
      ...steps.map((st) => envOf(st?.verifier)),
    ];
    for (const table of tables) {
      if (!table || typeof table !== 'object') continue;
      for (const v of Object.values(table)) {
        const name = typeof v === 'string' ? templateOf(v)?.name : undefined;
        const given = name !== undefined ? caller[name] : undefined;
        if (given) out.add(given);
      }
    }
  }
  return [...out];
}
