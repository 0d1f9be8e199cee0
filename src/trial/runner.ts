// One trial (docs/LIFECYCLE.md): environment, agent, verifier, inside one runner that
// owns Docker and the AbortSignal, emitting typed events and ending with one RunComplete.
// Containers and snapshots are disposed in reverse order in every outcome.
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { TrialConfig } from '../config/config.js';
import type { Agent, AgentContext } from '../agents/types.js';
import { LABEL_MANAGED, LABEL_RUN, LABEL_TRIAL, type ContainerSpec } from '../docker/argv.js';
import type { DockerCli } from '../docker/cli.js';
import { TaskContainer } from '../docker/container.js';
import type { ImageResolver } from '../environment/image.js';
import { asTb2Error, CancelledError } from '../errors.js';
import type { Emit, Phase, TrialEvent } from '../events.js';
import { applyEvent, finalize, initialState, type TrialState } from '../result/reduce.js';
import type { TrialResult } from '../trial-result.js';
import type { Task } from '../task/load.js';
import { startEnvironment } from '../environment/start.js';
import { capLogs, type LogCap } from './log-cap.js';
import { recoverIfTakenOver } from './recover.js';
import { persist } from './result-file.js';
import { runVerifierPhase } from './verify-phase.js';

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
}

export interface RunnerDeps {
  docker: DockerCli;
  images: ImageResolver;
  emit: Emit;
  signal: AbortSignal;
}

type Body = TrialEvent extends infer E ? (E extends TrialEvent ? Omit<E, 'trial_name' | 'at'> : never) : never;

export async function runTrial(plan: TrialPlan, deps: RunnerDeps): Promise<TrialResult> {
  const { task, agent, options } = plan;
  const { signal } = deps;
  const now = isoNow;
  let state: TrialState = initialState(plan.trialName, now());
  const emit = (body: Body) => {
    const e = { ...body, trial_name: plan.trialName, at: now() } as TrialEvent;
    state = applyEvent(state, e);
    deps.emit(e);
  };
  // Output lines are the hot path (an agent can print millions): one object literal, no
  // spread, and no fold, which ignores them anyway (reduce.ts).
  const output = (phase: Phase) => (line: string) =>
    deps.emit({ type: 'output', phase, line, trial_name: plan.trialName, at: now() });
  const recorded = new WeakSet<object>();
  const fail = (err: unknown, phase?: Phase) => {
    if (err && typeof err === 'object' && recorded.has(err)) return;
    const e = signal.aborted ? CancelledError.of(signal) : asTb2Error(err);
    if (err && typeof err === 'object') recorded.add(err);
    emit({ type: 'error', phase, exception_type: e.exceptionType, message: e.message, fatal: true, kind: e.kind });
  };
  const phase = async <T>(p: Phase, fn: () => Promise<T>): Promise<T> => {
    if (signal.aborted) throw CancelledError.of(signal);
    emit({ type: 'phase_start', phase: p });
    try {
      const out = await fn();
      emit({ type: 'phase_end', phase: p, ok: true });
      return out;
    } catch (err) {
      fail(err, p);
      emit({ type: 'phase_end', phase: p, ok: false, error: asTb2Error(err).message });
      throw err;
    }
  };

  const agentDir = path.join(plan.trialDir, 'agent');
  const verifierDir = path.join(plan.trialDir, 'verifier');
  const disposers: Array<() => Promise<void>> = [];
  const containers: TaskContainer[] = [];
  const labels = { [LABEL_MANAGED]: 'true', [LABEL_RUN]: plan.runId, [LABEL_TRIAL]: plan.trialName };
  const agentTimeoutSec = options.agentTimeoutSec ?? task.config.agentTimeoutSec;
  const verifierTimeoutSec = options.verifierTimeoutSec ?? task.config.verifierTimeoutSec;
  const network = options.network ?? (task.config.network === 'no-network' ? 'none' : undefined);
  let image = '';
  let caps: LogCap | undefined;
  let logsOpened = false;

  emit({ type: 'trial_start', task_name: task.name, task_dir: task.dir, agent: agent.name, attempt: plan.attempt });
  emit({ type: 'agent_info', name: agent.name, version: agent.version, model: agent.model });
  try {
    await mkdir(agentDir, { recursive: true });
    await mkdir(verifierDir, { recursive: true });
    // The container may run as any user: let it write its log folders.
    await Promise.all([chmod(agentDir, 0o777), chmod(verifierDir, 0o777)]);
    // Raw logs keep their first maxLoggedBytes, until every container of the trial is gone.
    caps = capLogs([agentDir, verifierDir], options.maxLoggedBytes);

    const spec = (
      name: string,
      ref: string,
      extraMounts: ContainerSpec['mounts'],
      pullNever = false,
    ): ContainerSpec => ({
      name,
      image: ref,
      labels,
      cpus: task.config.cpus,
      memoryMb: task.config.memoryMb,
      pidsLimit: options.pidsLimit,
      network,
      mounts: [
        { host: agentDir, container: '/logs/agent' },
        { host: verifierDir, container: '/logs/verifier' },
        ...extraMounts,
      ],
      envNames: Object.keys(task.config.env),
      pullNever,
    });
    const start = async (s: ContainerSpec) => {
      const c = await TaskContainer.start(deps.docker, s, task.config.env, signal);
      containers.push(c);
      disposers.push(() => c.remove());
      return c;
    };

    const container = await phase('environment', async () =>
      startEnvironment({
        prepared: Promise.resolve(agent.prepare?.(signal) ?? { mounts: [] }),
        resolved: deps.images.resolve({ task, forceBuild: options.forceBuild, signal, onLine: output('environment') }),
        guess: options.forceBuild ? undefined : task.config.dockerImage,
        onResolved: (resolved) => {
          image = resolved.ref;
          emit({ type: 'output', phase: 'environment', line: `image ${resolved.ref} (${resolved.source})` });
        },
        start: (ref, mounts, { pullNever }) => start(spec(containerName(plan.trialName), ref, mounts, pullNever)),
        signal,
      }),
    );

    const ctx: AgentContext = {
      task,
      container,
      agentDir,
      signal,
      timeoutMs: agentTimeoutSec * 1000,
      maxLoggedBytes: options.maxLoggedBytes,
      output: output('agent'),
      message: (message) => emit({ type: 'agent_message', message }),
      usage: (u) => emit({ type: 'agent_usage', ...u }),
      info: (i) => emit({ type: 'agent_info', name: agent.name, ...i }),
    };
    if (agent.setup) await phase('agent_setup', () => agent.setup!(ctx));
    const outcome = await phase('agent', async () => {
      const o = await agent.run(ctx);
      if (o.aborted || signal.aborted) throw CancelledError.of(signal);
      // An agent failure is recorded, and verification still runs (LIFECYCLE step 3).
      if (o.error)
        emit({ type: 'error', phase: 'agent', exception_type: o.error.type, message: o.error.message, fatal: false });
      return o;
    });
    // Only a failed agent pays for this look (one `docker top`): a fork bomb fails or times out.
    if (outcome.error && options.verifierMode === 'shared' && options.pidsLimit) {
      const taken = await recoverIfTakenOver(deps.docker, container.name, options.pidsLimit, signal);
      if (taken)
        emit({ type: 'error', phase: 'agent', exception_type: 'ContainerUnusableError', message: taken, fatal: false });
    }

    await phase('verifier', async () => {
      const snapshot = `tb2-snapshot/${containerName(plan.trialName)}:latest`;
      const verdict = await runVerifierPhase({
        docker: deps.docker,
        container,
        // Verify a snapshot of the agent's file system in a fresh container: no live process.
        isolate:
          options.verifierMode === 'isolated'
            ? async () => {
                await container.commit(snapshot, labels, signal);
                disposers.push(() =>
                  deps.docker.call(['rmi', '--force', snapshot], { timeoutMs: 60_000 }).then(() => undefined),
                );
                await container.remove();
                return start(spec(`${containerName(plan.trialName)}-verify`, snapshot, []));
              }
            : undefined,
        task,
        trialDir: plan.trialDir,
        verifierDir,
        timeoutSec: verifierTimeoutSec,
        signal,
        pidsLimit: options.pidsLimit,
        maxLoggedBytes: options.maxLoggedBytes,
        output: output('verifier'),
        onLogsOpened: () => (logsOpened = true),
        warn: (exception_type, message) =>
          emit({ type: 'error', phase: 'verifier', exception_type, message, fatal: false }),
      });
      if (verdict.ctrfError)
        emit({
          type: 'error',
          phase: 'verifier',
          exception_type: 'CtrfParseError',
          message: verdict.ctrfError,
          fatal: false,
        });
      emit({ type: 'verifier_result', rewards: verdict.rewards, reward: verdict.reward, tests: verdict.tests });
    });
  } catch (err) {
    fail(err);
  } finally {
    // Files written as root in the container stay removable by the runner's user (the
    // verifier's exec already saw to it when test.sh ended on its own).
    const live = containers.at(-1);
    if (live && !signal.aborted && !logsOpened)
      await live.run('chmod -R a+rwX /logs/agent /logs/verifier 2>/dev/null; true').catch(() => undefined);
    for (const dispose of disposers.reverse()) await dispose().catch(() => undefined);
    await caps?.stop();
  }

  const settle = () =>
    finalize(state, now(), {
      agent: agent.name,
      verifier_mode: options.verifierMode,
      agent_timeout_sec: agentTimeoutSec,
      verifier_timeout_sec: verifierTimeoutSec,
      image: image || null,
      network: network ?? 'default',
      cpus: task.config.cpus,
      memory_mb: task.config.memoryMb,
    });
  let result = settle();
  const json = (r: TrialResult) => JSON.stringify(r, null, 2) + '\n';
  // A full disk shrinks raw logs and records why; any other write failure is reported,
  // and the result still reaches the job (and its result.json) from memory.
  const unsaved = await persist(path.join(plan.trialDir, 'result.json'), json(result), plan.trialDir, (warning) => {
    emit({ type: 'error', exception_type: 'OutputDiskFullError', message: warning, fatal: false });
    return json((result = settle()));
  });
  if (unsaved) emit({ type: 'error', exception_type: 'OutputWriteError', message: unsaved, fatal: false });
  emit({ type: 'run_complete', result });
  return result;
}

// One Date and toISOString per millisecond rather than per event: lines come in bursts.
let lastMs = -1;
let lastIso = '';
export function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/** Docker names allow [a-zA-Z0-9][a-zA-Z0-9_.-]. */
export function containerName(trialName: string): string {
  return `tb2-${trialName.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-')}`;
}
