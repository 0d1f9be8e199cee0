// A multi-step task (Harbor v0.22 `[[steps]]`, src/harbor/trial/multi_step.py): the steps
// run in order in the same environment, each its workdir and setup.sh, then a round (an
// agent phase and a verifier phase, round.ts) with the step's own instruction, timeouts,
// user and tests (the task's tests/ with the step's over them). After each step what it left
// in agent/, verifier/ and artifacts/ moves to steps/<name>/. A step whose min_reward is not
// met, or that ends without a verdict, ends the trial there; the trial's rewards are the
// steps' mean (or the last step's, "final"), and it is completed when any step has a verdict.
import { cp, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { asTb2Error, CancelledError, TrialError } from '../errors.js';
import type { TestCase } from '../events.js';
import { aggregateStepRewards, headlineReward, minRewardFailure, type Rewards } from '../result/steps.js';
import type { Task } from '../task/load.js';
import type { TaskStep } from '../task/steps.js';
import { runRound, type TrialScope } from './round.js';

/** The task as one step sees it: its instruction, solution, users, timeouts and verifier env. */
export function stepTask(task: Task, s: TaskStep): Task {
  const c = task.config;
  return {
    ...task,
    instruction: s.instruction,
    solutionDir: s.solutionDir,
    config: {
      ...c,
      agentTimeoutSec: s.agentTimeoutSec ?? c.agentTimeoutSec,
      verifierTimeoutSec: s.verifierTimeoutSec ?? c.verifierTimeoutSec,
      agentUser: s.agentUser ?? c.agentUser,
      verifierUser: s.verifierUser ?? c.verifierUser,
      verifierEnv: { ...c.verifierEnv, ...s.verifierEnv },
    },
  };
}

export async function runSteps(t: TrialScope, task: Task, steps: readonly TaskStep[]): Promise<void> {
  try {
    await stepByStep(t, task, steps);
  } finally {
    t.record.inStep(undefined);
  }
}

async function stepByStep(t: TrialScope, task: Task, steps: readonly TaskStep[]): Promise<void> {
  const { record, signal, options } = t;
  const results: Array<Rewards | null> = [];
  const tests: TestCase[] = [];
  let lastError: { type: string; message: string } | undefined;
  for (const [i, s] of steps.entries()) {
    const view = stepTask(task, s);
    record.inStep(s.name);
    record.emit({ type: 'step_start', index: i + 1, total: steps.length, strategy: task.config.multiStepStrategy });
    let rewards: Rewards | null = null;
    let reward: number | null = null;
    let mode: string | undefined;
    const merged = await mergedTests(task, s);
    try {
      await prepareStep(t, view, s);
      const { verdict, choice } = await runRound(t, {
        task: view,
        key: s.name,
        agentTimeoutSec: options.agentTimeoutSec ?? view.config.agentTimeoutSec,
        verifierTimeoutSec: options.verifierTimeoutSec ?? view.config.verifierTimeoutSec,
        artifacts: [...task.config.artifacts, ...s.artifacts],
        taskMode: s.verifierMode,
        spec: s.verifierEnvironment,
        testsDir: merged,
        stepTestsDir: s.testsDir,
        keepAgent: i < steps.length - 1,
      });
      ({ rewards, reward } = verdict);
      mode = choice.mode;
      tests.push(...verdict.tests.map((x) => ({ ...x, name: `${s.name}: ${x.name}` })));
    } catch (err) {
      if (signal.aborted || err instanceof CancelledError) throw err;
      record.fail(err);
      const e = asTb2Error(err);
      lastError = { type: e.exceptionType, message: e.message };
    } finally {
      if (merged) await rm(path.dirname(merged), { recursive: true, force: true });
    }
    await archiveStep(t, s.name);
    results.push(rewards);
    const stopped = rewards ? minRewardFailure(rewards, s.minReward) : 'failed without a verifier result';
    const later = i < steps.length - 1 && stopped ? `; later steps not run (${steps.length - i - 1})` : '';
    record.emit({
      type: 'step_end',
      reward,
      ...(stopped && later ? { stopped: stopped + later } : {}),
      verifier_mode: mode,
    });
    record.inStep(undefined);
    if (stopped && later) break;
  }
  const rewards = aggregateStepRewards(task.config.multiStepStrategy, results);
  if (!rewards) {
    const why = lastError ? `${lastError.type}: ${lastError.message}` : 'the last step has no verifier result';
    throw new TrialError(lastError?.type ?? 'RewardFileNotFoundError', `no step produced a reward (${why})`);
  }
  record.emit({ type: 'verifier_result', rewards, reward: headlineReward(rewards), tests });
}

/** steps/<name>/workdir copied into the working directory, then its setup.sh run there (Harbor). */
async function prepareStep(t: TrialScope, view: Task, s: TaskStep): Promise<void> {
  if (!s.workdirDir) return;
  const cwd = view.config.workdir;
  const staged = await t.env.stage(s.workdirDir, t.signal);
  // Into the working directory (`[environment] workdir`, else the image's WORKDIR), as root.
  const copied = await t.env.exec(`cp -a '${staged}'/. "$PWD"/ && rm -rf '${staged}'`, {
    user: '0',
    cwd,
    timeoutMs: 120_000,
    signal: t.signal,
  });
  if (copied.aborted) throw CancelledError.of(t.signal);
  if (copied.exitCode !== 0)
    throw new TrialError(
      'StepSetupError',
      `steps/${s.name}/workdir: could not be copied in: ${copied.stderrTail.trim()}`,
    );
  if (!s.hasSetup) return;
  // Run with bash as Harbor does (the exec bit may be lost); sh where an image has no bash.
  const res = await t.env.exec('if command -v bash >/dev/null 2>&1; then bash setup.sh; else sh setup.sh; fi', {
    user: view.config.agentUser,
    cwd,
    timeoutMs: view.config.agentTimeoutSec * 1000,
    signal: t.signal,
    onLine: t.record.output('agent'),
  });
  if (res.aborted) throw CancelledError.of(t.signal);
  if (res.exitCode !== 0 || res.timedOut)
    throw new TrialError(
      'StepSetupError',
      `steps/${s.name}/workdir/setup.sh ${res.timedOut ? 'timed out' : `exited with code ${res.exitCode}`}: ${res.stderrTail.trim().split('\n').at(-1) ?? ''}`,
    );
}

/** The task's tests/ with the step's tests/ copied over it, in a temporary folder (undefined: none to merge). */
async function mergedTests(task: Task, s: TaskStep): Promise<string | undefined> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'tb2-step-tests-'));
  const dir = path.join(root, 'tests');
  await mkdir(dir);
  await cp(path.join(task.dir, 'tests'), dir, { recursive: true }).catch(() => undefined);
  if (s.testsDir) await cp(s.testsDir, dir, { recursive: true, force: true });
  return dir;
}

/** What the step left in agent/, verifier/ and artifacts/ moves to steps/<name>/ (Harbor's layout). */
async function archiveStep(t: TrialScope, name: string): Promise<void> {
  // Files the container wrote as root must be movable by the runner's user.
  await t.env.run('chmod -R a+rwX /logs/agent /logs/verifier 2>/dev/null; true', undefined, '0').catch(() => undefined);
  const into = path.join(t.trialDir, 'steps', name);
  for (const [from, to] of [
    [t.agentDir, 'agent'],
    [t.verifierDir, 'verifier'],
    [path.join(t.trialDir, 'artifacts'), 'artifacts'],
  ] as const) {
    const entries = await readdir(from).catch(() => [] as string[]);
    await mkdir(path.join(into, to), { recursive: true });
    for (const e of entries) {
      const src = path.join(from, e);
      const dst = path.join(into, to, e);
      await rename(src, dst).catch(async () => {
        await cp(src, dst, { recursive: true, force: true });
        await rm(src, { recursive: true, force: true });
      });
    }
  }
}
