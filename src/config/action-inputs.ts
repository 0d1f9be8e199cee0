// Action inputs -> the same typed Config the CLI builds (config.ts), plus the settings only
// the action has (API key, artifact). Read once, through a getter, so tests need no runner.
//
// Where defaults live: Config fields take theirs from settings.ts (zod) and the action-only
// ones from ACTION_DEFAULTS below. action.yml declares no `default:` for them, only says
// the default in words; GitHub then passes each unset input as "" (the runner's
// EvaluateDefaultInput yields "" for no default), which means "use the code's default".
// The exceptions are `matrix` and `github-token`: only an expression (`${{ toJSON(matrix) }}`,
// `${{ github.token }}`) can read those contexts, so their defaults must be in action.yml.
// A unit test keeps the two in step.
import { UsageError } from '../errors.js';
import { parseConfig, type Config } from './config.js';
import { inputName, SETTING_KEYS, SETTINGS, type Setting, type SettingKey } from './settings.js';

export const ACTION_DEFAULTS = {
  uploadArtifact: true,
  prComment: true,
} as const;

/** The inputs only the action has (the API key, the artifact, the matrix context). */
const ACTION_ONLY = [
  'anthropic-api-key',
  'openai-api-key',
  'gemini-api-key',
  'upload-artifact',
  'artifact-name',
  'retention-days',
  'matrix',
  'github-token',
  'pr-comment',
] as const;

/** The key inputs and the variable each becomes in the agent's environment (by name only). */
export const KEY_INPUTS = {
  'anthropic-api-key': 'ANTHROPIC_API_KEY',
  'openai-api-key': 'OPENAI_API_KEY',
  'gemini-api-key': 'GEMINI_API_KEY',
} as const;

/** Every input action.yml declares: one per setting (settings.ts), then the action's own. */
export const ACTION_INPUTS = [...SETTING_KEYS.map((k) => SETTINGS[k].input), ...ACTION_ONLY];
export type ActionInput = (typeof SETTINGS)[SettingKey]['input'] | (typeof ACTION_ONLY)[number];

export interface ArtifactSettings {
  upload: boolean;
  /** Given by the user; otherwise derived per matrix job (artifacts.ts). */
  name?: string;
  retentionDays?: number;
}

export interface ActionSettings {
  config: Config;
  /** The key inputs given (KEY_INPUTS), by variable name: masked, forwarded by name, scrubbed from files. */
  apiKeys: Record<string, string>;
  artifact: ArtifactSettings;
  /** JSON of the job's matrix context ("null" outside a matrix). */
  matrix?: string;
  /** For the PR comment only: masked, scrubbed, never written anywhere (action/pr-comment.ts). */
  githubToken?: string;
  /** Write the sticky comment on a pull_request / pull_request_target run. */
  prComment: boolean;
}

/** @param input returns the raw input ("" when unset), e.g. `(n) => core.getInput(n)`. */
export function actionSettingsFrom(input: (name: ActionInput) => string, now = new Date()): ActionSettings {
  const get = (n: ActionInput) => input(n).trim();
  const raw = Object.fromEntries(
    SETTING_KEYS.map((k) => {
      const setting: Setting = SETTINGS[k];
      const v = get(setting.input as ActionInput);
      // One or more values, one per line (blank lines ignored).
      const lines = () =>
        v
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean);
      return [k, setting.lines ? lines() : v];
    }),
  );
  const config = parseConfig(raw, inputName, now);
  return {
    config,
    apiKeys: Object.fromEntries(
      Object.entries(KEY_INPUTS)
        .map(([name, variable]): [string, string] => [variable, input(name as ActionInput).trim()])
        .filter(([, v]) => v),
    ),
    artifact: {
      upload: boolInput('upload-artifact', get('upload-artifact'), ACTION_DEFAULTS.uploadArtifact),
      name: artifactNameInput(get('artifact-name')),
      retentionDays: retentionInput(get('retention-days')),
    },
    matrix: get('matrix') || undefined,
    githubToken: get('github-token') || undefined,
    prComment: boolInput('pr-comment', get('pr-comment'), ACTION_DEFAULTS.prComment),
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
