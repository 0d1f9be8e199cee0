// The steps of a multi-step task (Harbor v0.22, `[[steps]]`): each a folder
// `steps/<name>/` with its instruction.md, and tests/test.sh, solution/solve.sh and
// workdir/setup.sh where it has them; the task's own tests/ and solution/ stand in for a
// step without. Checked at load time like the rest of the task (Harbor's Task._validate_tests).
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { TaskValidationError } from '../errors.js';
import { checkScript, isFile, MAX_INSTRUCTION_BYTES, readRequired } from './files.js';
import type { TaskConfig } from './schema.js';
import { modeOf, toArtifacts, type ArtifactSpec, type stepSchema, type VerifierEnvSpec } from './steps-schema.js';

export interface TaskStep {
  name: string;
  instruction: string;
  /** steps/<name>/tests when the step has one (copied over the task's tests/). */
  testsDir?: string;
  /** The folder the oracle copies to /solution: the step's solution/, else the task's. */
  solutionDir: string;
  /** steps/<name>/workdir: copied into the working directory before the step; setup.sh there runs. */
  workdirDir?: string;
  hasSetup: boolean;
  agentTimeoutSec?: number;
  verifierTimeoutSec?: number;
  agentUser?: string;
  verifierUser?: string;
  verifierEnv: Record<string, string>;
  verifierMode?: 'shared' | 'separate';
  verifierEnvironment?: VerifierEnvSpec;
  /** A number gates the `reward` key; a table gates each key it names. */
  minReward?: number | Record<string, number>;
  artifacts: ArtifactSpec[];
}

type StepToml = z.infer<typeof stepSchema>;

const isDir = (p: string) =>
  stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );

export async function loadSteps(
  dir: string,
  steps: StepToml[],
  config: TaskConfig,
  requireSolution: boolean,
): Promise<TaskStep[]> {
  const seen = new Set<string>();
  const out: TaskStep[] = [];
  const taskTest = await isFile(path.join(dir, 'tests', 'test.sh'));
  for (const [i, s] of steps.entries()) {
    const where = `task.toml: [steps.${i}] name`;
    if (seen.has(s.name)) throw new TaskValidationError(`${where}: "${s.name}" is used by two steps`);
    seen.add(s.name);
    const rel = (p: string) => path.posix.join('steps', s.name, p);
    if (!(await isDir(path.join(dir, 'steps', s.name))))
      throw new TaskValidationError(`steps/${s.name}: missing (the folder of step "${s.name}" named in task.toml)`);
    const what = `the prompt of step "${s.name}"`;
    const instruction = await readRequired(dir, rel('instruction.md'), what, MAX_INSTRUCTION_BYTES);
    if (!instruction.trim()) throw new TaskValidationError(`${rel('instruction.md')}: empty (expected ${what})`);
    const verifierMode = modeOf(s.verifier) ?? config.verifierMode;
    const stepTest = await isFile(path.join(dir, rel('tests/test.sh')));
    if (stepTest) await checkScript(dir, rel('tests/test.sh'), `the verifier entry point of step "${s.name}"`);
    else if (!taskTest && verifierMode !== 'separate')
      throw new TaskValidationError(
        `${rel('tests/test.sh')}: missing (the verifier entry point of step "${s.name}"; or tests/test.sh for every step)`,
      );
    const stepSolve = await isFile(path.join(dir, rel('solution/solve.sh')));
    if (requireSolution) {
      const solve = stepSolve ? rel('solution/solve.sh') : 'solution/solve.sh';
      if (!stepSolve && !(await isFile(path.join(dir, solve))))
        throw new TaskValidationError(
          `${rel('solution/solve.sh')}: missing (the reference solution of step "${s.name}" the oracle agent runs)`,
        );
      await checkScript(dir, solve, `the reference solution of step "${s.name}"`);
    }
    const workdirDir = path.join(dir, 'steps', s.name, 'workdir');
    const hasWorkdir = await isDir(workdirDir);
    out.push({
      name: s.name,
      instruction,
      ...(stepTest || (await isDir(path.join(dir, rel('tests'))))
        ? { testsDir: path.join(dir, 'steps', s.name, 'tests') }
        : {}),
      solutionDir: path.join(dir, ...(stepSolve ? ['steps', s.name] : []), 'solution'),
      ...(hasWorkdir ? { workdirDir } : {}),
      hasSetup: hasWorkdir && (await isFile(path.join(workdirDir, 'setup.sh'))),
      agentTimeoutSec: s.agent?.timeout_sec,
      verifierTimeoutSec: s.verifier?.timeout_sec,
      agentUser: s.agent?.user,
      verifierUser: s.verifier?.user,
      verifierEnv: s.verifier?.env ?? {},
      verifierMode,
      verifierEnvironment: s.verifier?.environment ?? config.verifierEnvironment,
      minReward: s.min_reward,
      artifacts: toArtifacts(s.artifacts),
    });
  }
  return out;
}
