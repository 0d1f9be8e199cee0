// One trial (docs/LIFECYCLE.md): environment, agent, verifier, inside one runner that
// owns Docker and the AbortSignal, emitting typed events and ending with one RunComplete.
// Containers and snapshots are disposed in reverse order in every outcome.
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { TrialConfig } from '../config/config.js';
import type { Agent, AgentContext } from '../agents/types.js';
import { networkOf } from '../environment/container-env.js';
import { scoped } from '../environment/scoped.js';
import type { Environment, Environments } from '../environment/types.js';
import type { Emit } from '../events.js';
import type { TrialResult } from '../trial-result.js';
import type { Task } from '../task/load.js';
import type { TrialIdentity } from '../result/reduce.js';
import { capLogs, type LogCap } from './log-cap.js';
import { TrialRecord } from './record.js';
import { taskWarnings } from './task-warnings.js';
import { choose, runRound, type Round, type TrialScope } from './round.js';
import { runSteps } from './step-run.js';
import { harborMode, type VerifierChoice } from './verifier-target.js';

export type VerifierMode = TrialConfig['verifierMode'];

/** The trial's settings from Config (settings.ts, group "trial") and the runner's limits. */
export type TrialOptions = TrialConfig & {
  pidsLimit: number;
  /** Raw output a trial's live log shows, and its raw log files keep, at most. */
  maxLoggedBytes: number;
};

export interface TrialPlan {
  task: Task;
  attempt: number;
  trialName: string;
  trialDir: string;
  runId: string;
  agent: Agent;
  options: TrialOptions;
  /** Harbor's identity of the trial (trial/harbor-config.ts). */
  identity: TrialIdentity;
  /** Exceptions of the attempts a retry replaced (kept in `exceptions`, marked retried). */
  carried?: TrialResult['exceptions'];
}

export interface RunnerDeps {
  environments: Environments;
  emit: Emit;
  signal: AbortSignal;
}

export async function runTrial(plan: TrialPlan, deps: RunnerDeps): Promise<TrialResult> {
  const { task, agent, options } = plan;
  const { signal } = deps;
  const c = task.config;
  const record = new TrialRecord(plan.trialName, deps.emit, signal);
  if (plan.carried?.length) record.carry(plan.carried);
  const agentDir = path.join(plan.trialDir, 'agent');
  const verifierDir = path.join(plan.trialDir, 'verifier');
  const agentTimeoutSec = options.agentTimeoutSec ?? c.agentTimeoutSec;
  const verifierTimeoutSec = options.verifierTimeoutSec ?? c.verifierTimeoutSec;
  /** Every environment of the trial (the agent's, the isolated verifier's), stopped in reverse. */
  const envs: Environment[] = [];
  let image = '';
  let caps: LogCap | undefined;
  let artifactCap: LogCap | undefined;
  let logsOpened = false;
  /** A single-step task's one round (round.ts); a multi-step task's rounds are its steps. */
  const singleRound: Round = {
    task,
    key: 'trial',
    agentTimeoutSec,
    verifierTimeoutSec,
    artifacts: c.artifacts,
    taskMode: c.verifierMode,
    spec: c.verifierEnvironment,
    keepAgent: false,
  };
  // Where the verifier runs (the flag, else the task's mode): known before the trial starts,
  // so a trial that errors earlier records it too. A multi-step task's steps record their own.
  const choice: VerifierChoice = await choose({ options, environments: deps.environments }, singleRound);

  record.emit({
    type: 'trial_start',
    task_name: task.name,
    task_dir: task.dir,
    agent: agent.name,
    attempt: plan.attempt,
  });
  record.emit({ type: 'agent_info', name: agent.name, version: agent.version, model: agent.model });
  for (const w of taskWarnings(task, agent)) record.warn(w.type, w.message);
  try {
    await mkdir(agentDir, { recursive: true });
    await mkdir(verifierDir, { recursive: true });
    // The container may run as any user: let it write its log folders.
    await Promise.all([chmod(agentDir, 0o777), chmod(verifierDir, 0o777)]);
    // Raw logs keep their first maxLoggedBytes, until every container of the trial is gone.
    // The steps' folders hold earlier steps' logs, which a background child may still write.
    caps = capLogs([agentDir, verifierDir, path.join(plan.trialDir, 'steps')], options.maxLoggedBytes);
    // Artifacts are cut like logs, but only at the end: a separate verifier gets them whole.
    artifactCap = capLogs([path.join(plan.trialDir, 'artifacts')], options.maxLoggedBytes, { live: false });

    const env = await record.phase('environment', async () => {
      const started = await deps.environments.start({
        task,
        trialName: plan.trialName,
        runId: plan.runId,
        agentDir,
        verifierDir,
        prepared: Promise.resolve(agent.prepare?.(signal) ?? { mounts: [] }),
        forceBuild: options.forceBuild,
        network: options.network,
        pidsLimit: options.pidsLimit,
        signal,
        onLine: record.output('environment'),
        onImage: (ref, source) => {
          image = ref;
          record.emit({ type: 'output', phase: 'environment', line: `image ${ref} (${source})` });
        },
      });
      envs.push(started);
      return started;
    });

    const context = (view: Task, timeoutSec: number): AgentContext => ({
      task: view,
      env: scoped(env, { user: view.config.agentUser, cwd: c.workdir }),
      agentDir,
      signal,
      timeoutMs: timeoutSec * 1000,
      maxLoggedBytes: options.maxLoggedBytes,
      output: record.output('agent'),
      message: (message) => record.emit({ type: 'agent_message', message }),
      usage: (u) => record.emit({ type: 'agent_usage', ...u }),
      info: (i) => record.emit({ type: 'agent_info', name: agent.name, ...i }),
    });
    if (agent.setup) await record.phase('agent_setup', () => agent.setup!(context(task, agentTimeoutSec)));
    const scope: TrialScope = {
      record,
      agent,
      options,
      environments: deps.environments,
      env,
      trialName: plan.trialName,
      trialDir: plan.trialDir,
      runId: plan.runId,
      agentDir,
      verifierDir,
      signal,
      track: (e) => envs.push(e),
      onLogsOpened: () => (logsOpened = true),
      context,
    };
    if (task.steps) await runSteps(scope, task, task.steps);
    else await runRound(scope, singleRound);
  } catch (err) {
    record.fail(err);
  } finally {
    // Files written as root in the container stay removable by the runner's user (the
    // verifier's exec already saw to it when test.sh ended on its own).
    const live = envs.at(-1);
    if (live && !signal.aborted && !logsOpened)
      await live
        .run('chmod -R a+rwX /logs/agent /logs/verifier 2>/dev/null; true', undefined, '0')
        .catch(() => undefined);
    for (const e of envs.reverse()) await e.stop();
    await caps?.stop();
    await artifactCap?.stop();
  }

  // Harbor leaves it null for a multi-step task: each step_result says its own (trial.py _init_result).
  const identity = { ...plan.identity, verifier_environment_mode: task.steps ? null : harborMode(choice.mode) };
  return record.finish(plan.trialDir, identity, {
    agent: agent.name,
    verifier_mode: choice.mode,
    verifier: choice,
    agent_timeout_sec: agentTimeoutSec,
    verifier_timeout_sec: verifierTimeoutSec,
    image: image || null,
    network: networkOf({ network: options.network, task }) ?? 'default',
    cpus: c.cpus,
    memory_mb: c.memoryMb,
  });
}
