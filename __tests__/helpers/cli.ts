// Run the real bundled CLI (dist/cli.js) as a user would, and inspect what it left.
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const EXAMPLES = path.join(ROOT, 'examples', 'tasks');
export const FIXTURES = path.join(ROOT, '__tests__', 'fixtures', 'tasks');

export function tempDir(prefix = 'tb2-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function newRunId(): string {
  return `test-${randomBytes(5).toString('hex')}`;
}

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  out: string;
  runId: string;
}

/** `node dist/cli.js run ...` with its own output folder and a known run id (TB2_RUN_ID). */
export async function runCli(
  args: string[],
  opts: { env?: Record<string, string>; out?: string } = {},
): Promise<CliRun> {
  const out = opts.out ?? tempDir();
  const runId = newRunId();
  const res = await execa(process.execPath, [CLI, 'run', '--output', out, ...args], {
    reject: false,
    env: { TB2_RUN_ID: runId, ...opts.env },
    timeout: 300_000,
  });
  return { exitCode: res.exitCode ?? -1, stdout: String(res.stdout), stderr: String(res.stderr), out, runId };
}

export function readJson<T = any>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** The trial result.json files of a job folder. */
export function trialResults(out: string): any[] {
  return readdirSync(out, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => readJson(path.join(out, d.name, 'result.json')));
}

/** Containers, snapshot images, compose networks and volumes still carrying this run's label (must be none). */
export async function leftovers(runId: string): Promise<string[]> {
  const label = `label=dev.tb2.run=${runId}`;
  const lists = await Promise.all([
    execa('docker', ['ps', '-aq', '--filter', label]),
    execa('docker', ['images', '-q', '--filter', label]),
    execa('docker', ['network', 'ls', '-q', '--filter', label]),
    execa('docker', ['volume', 'ls', '-q', '--filter', label]),
  ]);
  return lists.flatMap((l) => String(l.stdout).split('\n')).filter(Boolean);
}
