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
import { CancelledError } from '../errors.js';
import type { Emit, Phase } from '../events.js';
import type { TrialResult } from '../trial-result.js';
import type { Task } from '../task/load.js';
import { startEnvironment } from '../environment/start.js';
import { capLogs, type LogCap } from './log-cap.js';
import { recoverIfTakenOver } from './recover.js';
import { TrialRecord, type EventBody } from './record.js';
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

export async function runTrial(plan: TrialPlan, deps: RunnerDeps): Promise<TrialResult> {
  const { task, agent, options } = plan;
  const { signal } = deps;
  const record = new TrialRecord(plan.trialName, deps.emit, signal);
  const emit = (body: EventBody) => record.emit(body);
  const output = (phase: Phase) => record.output(phase);
  const phase = <T>(p: Phase, fn: () => Promise<T>) => record.phase(p, fn);

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
      if (o.error) record.warn(o.error.type, o.error.message, 'agent');
      return o;
    });
    // Only a failed agent pays for this look (one `docker top`): a fork bomb fails or times out.
    if (outcome.error && options.verifierMode === 'shared' && options.pidsLimit) {
      const taken = await recoverIfTakenOver(deps.docker, container.name, options.pidsLimit, signal);
      if (taken) record.warn('ContainerUnusableError', taken, 'agent');
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
        warn: (exceptionType, message) => record.warn(exceptionType, message, 'verifier'),
      });
      if (verdict.ctrfError) record.warn('CtrfParseError', verdict.ctrfError, 'verifier');
      emit({ type: 'verifier_result', rewards: verdict.rewards, reward: verdict.reward, tests: verdict.tests });
    });
  } catch (err) {
    record.fail(err);
  } finally {
    // Files written as root in the container stay removable by the runner's user (the
    // verifier's exec already saw to it when test.sh ended on its own).
    const live = containers.at(-1);
    if (live && !signal.aborted && !logsOpened)
      await live.run('chmod -R a+rwX /logs/agent /logs/verifier 2>/dev/null; true').catch(() => undefined);
    for (const dispose of disposers.reverse()) await dispose().catch(() => undefined);
    await caps?.stop();
  }

  return record.finish(plan.trialDir, {
    agent: agent.name,
    verifier_mode: options.verifierMode,
    agent_timeout_sec: agentTimeoutSec,
    verifier_timeout_sec: verifierTimeoutSec,
    image: image || null,
    network: network ?? 'default',
    cpus: task.config.cpus,
    memory_mb: task.config.memoryMb,
  });
}

/** Docker names allow [a-zA-Z0-9][a-zA-Z0-9_.-]. */
export function containerName(trialName: string): string {
  return `tb2-${trialName.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-')}`;
}
