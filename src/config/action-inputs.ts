// Action inputs -> the same typed Config the CLI builds (config.ts), plus the settings only
// the action has (API key, artifact). Read once, through a getter, so tests need no runner.
//
// Where defaults live: Config fields take theirs from config.ts (zod) and the action-only
// ones from ACTION_DEFAULTS below. action.yml declares no `default:` for them, only says
// the default in words; GitHub then passes each unset input as "" (the runner's
// EvaluateDefaultInput yields "" for no default), which means "use the code's default".
// The one exception is `matrix`: only an expression (`${{ toJSON(matrix) }}`) can read the
// matrix context, so its default must be in action.yml. A unit test keeps the two in step.
import { UsageError } from '../errors.js';
import { kebabName, parseConfig, type Config } from './config.js';

export const ACTION_DEFAULTS = {
  uploadArtifact: true,
} as const;

/** Every input action.yml declares, in its order. */
export const ACTION_INPUTS = [
  'task',
  'agent',
  'agent-command',
  'model',
  'max-turns',
  'claude-code-version',
  'anthropic-api-key',
  'verifier-mode',
  'agent-timeout',
  'verifier-timeout',
  'force-build',
  'network',
  'attempts',
  'concurrency',
  'min-reward',
  'output-dir',
  'upload-artifact',
  'artifact-name',
  'retention-days',
  'matrix',
] as const;
export type ActionInput = (typeof ACTION_INPUTS)[number];

export interface ArtifactSettings {
  upload: boolean;
  /** Given by the user; otherwise derived per matrix job (artifacts.ts). */
  name?: string;
  retentionDays?: number;
}

export interface ActionSettings {
  config: Config;
  /** `anthropic-api-key`: masked, forwarded as ANTHROPIC_API_KEY by name, scrubbed from files. */
  apiKey?: string;
  artifact: ArtifactSettings;
  /** JSON of the job's matrix context ("null" outside a matrix). */
  matrix?: string;
}

/** @param input returns the raw input ("" when unset), e.g. `(n) => core.getInput(n)`. */
export function actionSettingsFrom(input: (name: ActionInput) => string, now = new Date()): ActionSettings {
  const get = (n: ActionInput) => input(n).trim();
  const config = parseConfig(
    {
      // One or more task folders, one per line (blank lines ignored).
      tasks: get('task')
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter(Boolean),
      agent: get('agent'),
      agentCommand: get('agent-command'),
      model: get('model'),
      maxTurns: get('max-turns'),
      claudeCodeVersion: get('claude-code-version'),
      outputDir: get('output-dir'),
      verifierMode: get('verifier-mode') || undefined,
      agentTimeoutSec: get('agent-timeout'),
      verifierTimeoutSec: get('verifier-timeout'),
      forceBuild: get('force-build'),
      network: get('network'),
      attempts: get('attempts'),
      concurrency: get('concurrency'),
      minReward: get('min-reward'),
    },
    kebabName,
    now,
  );
  return {
    config,
    apiKey: input('anthropic-api-key').trim() || undefined,
    artifact: {
      upload: boolInput('upload-artifact', get('upload-artifact'), ACTION_DEFAULTS.uploadArtifact),
      name: artifactNameInput(get('artifact-name')),
      retentionDays: retentionInput(get('retention-days')),
    },
    matrix: get('matrix') || undefined,
  };
}

const got = (v: string) => ` (got ${JSON.stringify(v)})`;

function boolInput(name: ActionInput, v: string, fallback: boolean): boolean {
  if (v === '') return fallback;
  if (/^true$/i.test(v)) return true;
  if (/^false$/i.test(v)) return false;
  throw new UsageError(`${name}: expected true or false${got(v)}`);
}

/** GitHub keeps artifacts 1 to 90 days (a repository may set less). */
function retentionInput(v: string): number | undefined {
  if (v === '') return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > 90)
    throw new UsageError(`retention-days: expected a whole number of days from 1 to 90${got(v)}`);
  return n;
}

/** The characters @actions/artifact rejects in a name (path-and-artifact-name-validation). */
export const ARTIFACT_NAME_FORBIDDEN = /[":<>|*?\r\n\\/]/;

function artifactNameInput(v: string): string | undefined {
  if (v === '') return undefined;
  if (ARTIFACT_NAME_FORBIDDEN.test(v))
    throw new UsageError(`artifact-name: must not contain any of " : < > | * ? \\ / or a newline${got(v)}`);
  return v;
}

export { STATE_RUN_ID } from './state.js';
