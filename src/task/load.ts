// Load and validate one task directory into a typed Task (README "Task format").
import path from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { TaskValidationError } from '../errors.js';
import { loadCompose, type ComposeFile } from './compose.js';
import { checkScript, checkTree, isFile, MAX_INSTRUCTION_BYTES, readRequired } from './files.js';
import { resolveEnvTable, resolveTaskEnv } from './env-template.js';
import { loadSteps, type TaskStep } from './steps.js';
import { describeIssue, taskTomlSchema, toTaskConfig, unsupportedSetting, type TaskConfig } from './schema.js';
import { unsupportedKeyWarnings } from './unsupported-keys.js';

export interface Task {
  dir: string;
  /** `[task] name` or the folder's name. */
  name: string;
  /** File-system safe short name, the prefix of trial names. */
  slug: string;
  instruction: string;
  config: TaskConfig;
  /** environment/Dockerfile exists (a build is possible). */
  hasDockerfile: boolean;
  /** environment/docker-compose.yaml: the environment is a compose project around `main`. */
  compose?: ComposeFile;
  /** Keys Harbor reads that tb2 does not honour and that change what is measured (one line each). */
  warnings: string[];
  /** `[[steps]]`: a multi-step task (then `instruction` is empty; each step has its own). */
  steps?: TaskStep[];
  /** Where the oracle's solution is (a step's view sets it; default: <dir>/solution). */
  solutionDir?: string;
}

export interface LoadOptions {
  /** The oracle agent needs solution/solve.sh. */
  requireSolution?: boolean;
  /** --force-build: environment/Dockerfile is required even with docker_image. */
  forceBuild?: boolean;
  /** The caller's environment, which `${VAR}` / `${VAR:-default}` in the env tables read (default: none). */
  callerEnv?: NodeJS.ProcessEnv;
}

export async function loadTask(dirArg: string, opts: LoadOptions = {}): Promise<Task> {
  const dir = path.resolve(dirArg);
  const prefix = (msg: string) => `${dirArg}: ${msg}`;
  try {
    return await load(dir, opts);
  } catch (err) {
    if (err instanceof TaskValidationError) throw new TaskValidationError(prefix(err.message));
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new TaskValidationError(prefix('not a task folder (it does not exist or is not a directory)'));
    throw new TaskValidationError(prefix(`cannot be read: ${(err as Error).message}`));
  }
}

async function load(dir: string, opts: LoadOptions): Promise<Task> {
  await checkTree(dir);
  const tomlText = await readRequired(dir, 'task.toml', 'the task configuration');
  let raw: unknown;
  try {
    raw = parseToml(tomlText);
  } catch (err) {
    const where = err instanceof TomlError ? ` at line ${err.line}, column ${err.column}` : '';
    const why = (err as Error).message.split('\n')[0];
    throw new TaskValidationError(`task.toml: invalid TOML${where}: ${why}`);
  }
  const parsed = taskTomlSchema.safeParse(raw);
  if (!parsed.success) throw new TaskValidationError(`task.toml: ${describeIssue(parsed.error.issues[0], raw)}`);
  const unsupported = unsupportedSetting(parsed.data);
  if (unsupported) throw new TaskValidationError(`task.toml: ${unsupported}`);
  // The values taken from the caller are scrubbed as secrets (templatedCallerValues, before the job).
  const { config } = resolveTaskEnv(toTaskConfig(parsed.data), opts.callerEnv ?? {}, !!opts.requireSolution);

  // A multi-step task needs no task-level instruction.md or test.sh (Harbor v0.22).
  const rawSteps = parsed.data.steps?.length ? parsed.data.steps : undefined;
  // A step's [verifier.env] is templated like the task's (Harbor merges and resolves both).
  const steps =
    rawSteps &&
    (await loadSteps(dir, rawSteps, config, opts.requireSolution ?? false))?.map((st) => ({
      ...st,
      verifierEnv: resolveEnvTable(st.verifierEnv, opts.callerEnv ?? {}, `[[steps]] "${st.name}" [verifier.env]`).env,
    }));
  let instruction = '';
  if (!steps) {
    instruction = await readRequired(dir, 'instruction.md', 'the prompt given to the agent', MAX_INSTRUCTION_BYTES);
    if (!instruction.trim())
      throw new TaskValidationError('instruction.md: empty (expected the prompt given to the agent)');
    await checkScript(dir, 'tests/test.sh', 'the verifier entry point');
  } else if (await isFile(path.join(dir, 'tests', 'test.sh')))
    await checkScript(dir, 'tests/test.sh', 'the verifier entry point');

  const hasDockerfile = await isFile(path.join(dir, 'environment', 'Dockerfile'));
  const compose = await loadCompose(dir);
  // A compose file may give `main` its own image or build; otherwise ours needs one.
  if (!hasDockerfile && !compose?.mainImage && (opts.forceBuild || !config.dockerImage)) {
    const why = opts.forceBuild ? 'a build was forced' : 'task.toml sets no [environment] docker_image';
    throw new TaskValidationError(`environment/Dockerfile: missing (${why})`);
  }
  if (opts.requireSolution && !steps)
    await checkScript(dir, 'solution/solve.sh', 'the reference solution the oracle agent runs');

  const name = parsed.data.task?.name ?? path.basename(dir);
  return {
    dir,
    name,
    slug: slugOf(name),
    instruction,
    config,
    hasDockerfile,
    ...(compose ? { compose } : {}),
    warnings: unsupportedKeyWarnings(parsed.data),
    ...(steps ? { steps } : {}),
  };
}

/** File-system safe short name of a task ("org/my task" -> "my-task"): trial names start with it. */
export function slugOf(name: string): string {
  return (name.split('/').at(-1) ?? name).replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 60) || 'task';
}
