// One agent phase and the verifier phase after it (LIFECYCLE steps 3-5): the whole of a
// single-step trial after its set-up, and one step of a multi-step task (steps.ts). Between
// the two, the task's artifacts are copied out (after an agent timeout too); the verifier
// then runs where verifier-target.ts says, with its own timeout, user and tests.
import path from 'node:path';
import type { Agent, AgentContext } from '../agents/types.js';
import type { Environment, Environments } from '../environment/types.js';
import { CancelledError } from '../errors.js';
import type { Task } from '../task/load.js';
import type { ArtifactSpec, VerifierEnvSpec } from '../task/steps-schema.js';
import type { ManifestEntry } from './artifact-plan.js';
import { collectArtifacts } from './artifacts.js';
import type { TrialRecord } from './record.js';
import { recoverIfTakenOver } from './recover.js';
import type { TrialOptions } from './runner.js';
import type { Verdict } from './verifier.js';
import { buildContextOf, chooseVerifier, verifierTarget, type VerifierChoice } from './verifier-target.js';
import { runVerifierPhase } from './verify-phase.js';

/** What the rounds of one trial share. */
export interface TrialScope {
  record: TrialRecord;
  agent: Agent;
  options: TrialOptions;
  environments: Environments;
  env: Environment;
  trialName: string;
  trialDir: string;
  runId: string;
  agentDir: string;
  verifierDir: string;
  signal: AbortSignal;
  /** Every environment of the trial, stopped in reverse at its end. */
  track: (env: Environment) => void;
  onLogsOpened: () => void;
  /** The agent's context for a view of the task (its instruction, user, timeout). */
  context: (task: Task, timeoutSec: number) => AgentContext;
}

export interface Round {
  /** The task as this round sees it: a step's instruction, users and verifier env (task/steps.ts). */
  task: Task;
  key: string;
  agentTimeoutSec: number;
  verifierTimeoutSec: number;
  artifacts: readonly ArtifactSpec[];
  taskMode?: 'shared' | 'separate';
  spec?: VerifierEnvSpec;
  /** The step's tests/ merged over the task's; the step's own tests/ (build context). */
  testsDir?: string;
  stepTestsDir?: string;
  /** Not the last round: the agent's container is needed after this one. */
  keepAgent: boolean;
}

export interface RoundResult {
  verdict: Verdict;
  choice: VerifierChoice;
}

export async function runRound(t: TrialScope, r: Round): Promise<RoundResult> {
  const { record, signal } = t;
  const ctx = t.context(r.task, r.agentTimeoutSec);
  const outcome = await record.phase('agent', async () => {
    const o = await t.agent.run(ctx);
    if (o.aborted || signal.aborted) throw CancelledError.of(signal);
    // An agent failure is recorded, and verification still runs (LIFECYCLE step 3).
    if (o.error) record.warn(o.error.type, o.error.message, 'agent');
    return o;
  });
  const choice = await choose(t, r);
  // Only a failed agent pays for this look (one `docker top`): a fork bomb fails or times out.
  if (outcome.error && choice.mode === 'shared' && t.options.pidsLimit) {
    const taken = await recoverIfTakenOver(t.env, t.options.pidsLimit, signal);
    if (taken) record.warn('ContainerUnusableError', taken, 'agent');
  }
  let manifest: ManifestEntry[] = [];
  const artifactsDir = path.join(t.trialDir, 'artifacts');
  const verdict = await record.phase('verifier', async () => {
    const line = record.output('verifier');
    // Only a task that declares artifacts pays for collecting them (one exec, then a copy each).
    if (r.artifacts.length) {
      manifest = await collectArtifacts({
        env: t.env,
        entries: r.artifacts,
        dir: artifactsDir,
        workdir: r.task.config.workdir,
        signal,
      });
      const failed = manifest.filter((m) => m.status === 'failed');
      const ok = manifest.filter((m) => m.status === 'ok').length;
      const missing = failed.length ? `, failed: ${failed.map((m) => m.source).join(', ')}` : '';
      line(`artifacts: ${ok} collected${missing} (artifacts/manifest.json)`);
    }
    if (choice.mode !== 'shared')
      line(`verifier: ${choice.mode}${choice.snapshot_fallback ? ' (snapshot fallback)' : ''}`);
    const target = verifierTarget({
      choice,
      env: t.env,
      environments: t.environments,
      task: r.task,
      spec: r.spec,
      context: await buildContextOf(r.task, r.stepTestsDir),
      key: r.key,
      keepAgent: r.keepAgent,
      trialName: t.trialName,
      runId: t.runId,
      verifierDir: t.verifierDir,
      artifactsDir,
      artifacts: () => manifest,
      network: t.options.network,
      pidsLimit: t.options.pidsLimit,
      signal,
      onLine: line,
      track: t.track,
    });
    // A step that is not the last stops its verifier's environment at once (the agent's lives on).
    let made: Environment | undefined;
    const v = await runVerifierPhase({
      env: t.env,
      isolate: target && (async () => (made = await target())),
      task: r.task,
      trialDir: t.trialDir,
      verifierDir: t.verifierDir,
      timeoutSec: r.verifierTimeoutSec,
      signal,
      pidsLimit: t.options.pidsLimit,
      maxLoggedBytes: t.options.maxLoggedBytes,
      output: line,
      onLogsOpened: t.onLogsOpened,
      warn: (exceptionType, message) => record.warn(exceptionType, message, 'verifier'),
      testsDir: r.testsDir,
      skipTestsUpload: choice.mode === 'separate',
      // The separate verifier runs where its own environment says ([verifier.environment] workdir).
      ...(choice.mode === 'separate' ? { cwd: r.spec?.workdir ?? r.task.config.workdir } : {}),
    }).finally(() => (r.keepAgent ? made?.stop() : undefined));
    if (v.ctrfError) record.warn('CtrfParseError', v.ctrfError, 'verifier');
    record.emit({ type: 'verifier_result', rewards: v.rewards, reward: v.reward, tests: v.tests });
    return v;
  });
  return { verdict, choice };
}

/** The verifier mode of this round: the flag, else the task (separate when it can be built). */
export async function choose(t: Pick<TrialScope, 'options' | 'environments'>, r: Round): Promise<VerifierChoice> {
  const buildable =
    !!t.environments.startVerifier && (!!r.spec?.docker_image || !!(await buildContextOf(r.task, r.stepTestsDir)));
  return chooseVerifier(t.options.verifierMode, r.taskMode, buildable);
}
