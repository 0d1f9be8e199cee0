// Run the bundled action (dist/action.js, dist/post.js) the way GitHub's runner does: a
// node child process with every declared input as INPUT_<NAME> (dashes kept, upper-cased,
// "" when unset, as the runner fills inputs without a default), and temporary
// GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE files read back afterwards.
import { execa, type ResultPromise } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ACTION_INPUTS, type ActionInput } from '../../src/config/action-inputs.js';
import { ROOT, tempDir } from './cli.js';

export const ACTION = path.join(ROOT, 'dist', 'action.js');
export const POST = path.join(ROOT, 'dist', 'post.js');

export interface ActionRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  files: { dir: string; output: string; summary: string; state: string };
}

/** name<<DELIM\nvalue\nDELIM lines, as @actions/core's file commands write them. */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]] = m[3];
  return out;
}

export function actionEnv(
  inputs: Partial<Record<ActionInput, string>>,
  extra: Record<string, string> = {},
): { env: Record<string, string>; files: ActionRun['files'] } {
  const dir = tempDir('tb2-action-');
  const files = {
    dir,
    output: path.join(dir, 'output'),
    summary: path.join(dir, 'summary.md'),
    state: path.join(dir, 'state'),
  };
  for (const f of [files.output, files.summary, files.state]) writeFileSync(f, '');
  const env: Record<string, string> = {};
  // The runner's own environment, minus anything of a real workflow this test may run in.
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(INPUT_|GITHUB_|ACTIONS_|STATE_|RUNNER_)/.test(k)) env[k] = v;
  for (const name of ACTION_INPUTS)
    env[`INPUT_${name.toUpperCase()}`] = inputs[name] ?? (name === 'matrix' ? 'null' : '');
  Object.assign(env, {
    GITHUB_ACTIONS: 'true',
    GITHUB_JOB: 'itg',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: dir,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_STATE: files.state,
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
    ...extra,
  });
  return { env, files };
}

export function startAction(
  script: string,
  env: Record<string, string>,
  cwd: string,
): ResultPromise<{ reject: false; cwd: string; env: Record<string, string>; extendEnv: false; timeout: number }> {
  return execa(process.execPath, [script], { reject: false, cwd, env, extendEnv: false, timeout: 300_000 });
}

export async function finish(child: ReturnType<typeof startAction>, files: ActionRun['files']): Promise<ActionRun> {
  const res = await child;
  return {
    exitCode: res.exitCode ?? -1,
    stdout: String(res.stdout),
    stderr: String(res.stderr),
    outputs: parseFileCommands(readFileSync(files.output, 'utf8')),
    state: parseFileCommands(readFileSync(files.state, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
    files,
  };
}

export async function runAction(
  inputs: Partial<Record<ActionInput, string>>,
  extra: Record<string, string> = {},
): Promise<ActionRun> {
  const { env, files } = actionEnv(inputs, extra);
  return finish(startAction(ACTION, env, files.dir), files);
}

/** The post step: same inputs and environment, plus STATE_<name> from the main step. */
export async function runPost(main: ActionRun, env: Record<string, string>): Promise<ActionRun> {
  const stateEnv = Object.fromEntries(Object.entries(main.state).map(([k, v]) => [`STATE_${k}`, v]));
  const files = { ...main.files };
  writeFileSync(files.output, '');
  return finish(startAction(POST, { ...env, ...stateEnv }, files.dir), files);
}
