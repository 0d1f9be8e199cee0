// Where the verifier runs (docs/LIFECYCLE.md "Verifier modes"). The task's own
// `[verifier] environment_mode = "separate"` (Harbor v0.22) gives the verifier an environment
// of its own, from `[verifier.environment]` or tests/ as build context, with the trial's
// artifacts copied in and not the agent's file system; a task that gives neither falls back
// to a snapshot of the agent's container (our `isolated` mode), on the record. An explicit
// --verifier-mode / `verifier-mode` input overrides the task (`shared` beats `separate`).
import path from 'node:path';
import type { Environment, Environments } from '../environment/types.js';
import { isFile } from '../task/files.js';
import type { Task } from '../task/load.js';
import type { VerifierEnvSpec } from '../task/steps-schema.js';
import type { ManifestEntry } from './artifact-plan.js';
import { restoreArtifacts } from './artifacts.js';

export type UsedVerifierMode = 'shared' | 'isolated' | 'separate';

/** Our own record of the choice (run_config.verifier): the mode used, who chose it, and any fallback. */
export interface VerifierChoice {
  mode: UsedVerifierMode;
  from: 'flag' | 'task' | 'default';
  snapshot_fallback: boolean;
}

export function chooseVerifier(
  flag: 'shared' | 'isolated' | undefined,
  taskMode: 'shared' | 'separate' | undefined,
  buildable: boolean,
): VerifierChoice {
  if (flag) return { mode: flag, from: 'flag', snapshot_fallback: false };
  if (taskMode === 'separate')
    return buildable
      ? { mode: 'separate', from: 'task', snapshot_fallback: false }
      : { mode: 'isolated', from: 'task', snapshot_fallback: true };
  return { mode: 'shared', from: taskMode ? 'task' : 'default', snapshot_fallback: false };
}

/** Harbor's verifier_environment_mode: our isolated verifier is its "separate". */
export const harborMode = (m: UsedVerifierMode): 'shared' | 'separate' => (m === 'shared' ? 'shared' : 'separate');

/** The separate verifier's build context: the step's tests/ if it has one, else the task's (Harbor). */
export async function buildContextOf(task: Task, stepTestsDir?: string): Promise<string | undefined> {
  const dir = stepTestsDir ?? path.join(task.dir, 'tests');
  return (await isFile(path.join(dir, 'Dockerfile'))) ? dir : undefined;
}

export interface TargetRequest {
  choice: VerifierChoice;
  env: Environment;
  environments: Environments;
  task: Task;
  spec?: VerifierEnvSpec;
  context?: string;
  /** "trial", or the step's name. */
  key: string;
  /** A step that is not the last: the agent's container must outlive this verification. */
  keepAgent: boolean;
  trialName: string;
  runId: string;
  verifierDir: string;
  artifactsDir: string;
  artifacts: () => readonly ManifestEntry[];
  network?: string;
  pidsLimit: number;
  signal: AbortSignal;
  onLine: (line: string) => void;
  /** Every environment made here is the runner's to stop. */
  track: (env: Environment) => void;
}

/** The verifier's environment maker for runVerifierPhase, or undefined for the shared one. */
export function verifierTarget(r: TargetRequest): (() => Promise<Environment>) | undefined {
  if (r.choice.mode === 'shared') return undefined;
  if (r.choice.mode === 'isolated')
    return async () => {
      if (r.choice.snapshot_fallback)
        r.onLine(
          'separate verifier: the task gives no [verifier.environment] image and no tests/Dockerfile; verifying a snapshot of the agent container',
        );
      const fresh = await r.env.isolate(r.signal, r.keepAgent);
      r.track(fresh);
      return fresh;
    };
  return async () => {
    if (!r.keepAgent) {
      // Nothing of the agent's container is needed any more: its log folder opened, then it goes.
      await r.env.run('chmod -R a+rwX /logs/agent 2>/dev/null; true', r.signal, '0').catch(() => undefined);
      await r.env.stop();
    }
    const fresh = await r.environments.startVerifier!({
      task: r.task,
      trialName: r.trialName,
      runId: r.runId,
      key: r.key,
      verifierDir: r.verifierDir,
      spec: r.spec,
      context: r.context,
      network: r.network,
      pidsLimit: r.pidsLimit,
      signal: r.signal,
      onLine: r.onLine,
      onImage: (ref, source) => r.onLine(`verifier image ${ref} (${source})`),
    });
    r.track(fresh);
    await restoreArtifacts(fresh, r.artifacts(), r.artifactsDir, r.signal, r.spec?.workdir ?? r.task.config.workdir);
    return fresh;
  };
}
