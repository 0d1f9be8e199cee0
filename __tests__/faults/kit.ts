// Shared tools of the fault suite (issue 6): tiny busybox tasks made on the fly, the real
// CLI started as a child we can signal at a chosen phase, and leftover checks that look
// beyond our labels (a legacy-builder container carries none).
import { execa, type ResultPromise } from 'execa';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, leftovers, newRunId, tempDir } from '../helpers/cli.js';

export const BUSYBOX = 'tb2-base/busybox:latest';
export const TEST_REWARD_1 = '#!/bin/sh\necho 1 > /logs/verifier/reward.txt\n';
export const TEST_HELLO =
  '#!/bin/sh\n[ -f /app/hello.txt ] && echo 1 > /logs/verifier/reward.txt || echo 0 > /logs/verifier/reward.txt\n';

export interface TaskSpec {
  /** task.toml text; default: a pinned busybox image (no build), short timeouts. */
  toml?: string;
  /** environment/Dockerfile; given -> the task builds it (omit docker_image in toml). */
  dockerfile?: string;
  test?: string;
  solve?: string;
  instruction?: string;
}

/** A task folder named `name` (a stable name keeps build tags shared between runs). */
export function makeTask(name: string, s: TaskSpec = {}): string {
  const dir = path.join(tempDir('tb2-fault-'), name);
  const toml =
    s.toml ??
    (s.dockerfile
      ? 'version = "1.0"\n[verifier]\ntimeout_sec = 30\n'
      : `version = "1.0"\n[environment]\ndocker_image = "${BUSYBOX}"\nmemory = "256M"\n[verifier]\ntimeout_sec = 30\n`);
  mkdirSync(path.join(dir, 'tests'), { recursive: true });
  writeFileSync(path.join(dir, 'task.toml'), toml);
  writeFileSync(path.join(dir, 'instruction.md'), s.instruction ?? 'Create /app/hello.txt.\n');
  writeFileSync(path.join(dir, 'tests', 'test.sh'), s.test ?? TEST_HELLO, { mode: 0o755 });
  if (s.dockerfile) {
    mkdirSync(path.join(dir, 'environment'));
    writeFileSync(path.join(dir, 'environment', 'Dockerfile'), s.dockerfile);
  }
  if (s.solve) {
    mkdirSync(path.join(dir, 'solution'));
    writeFileSync(path.join(dir, 'solution', 'solve.sh'), s.solve, { mode: 0o755 });
  }
  return dir;
}

export interface Started {
  child: ResultPromise;
  out: string;
  runId: string;
  /** Everything the CLI wrote to stderr so far. */
  stderr: () => string;
  /** Resolves when stderr first matches; rejects if the CLI exits first. */
  waitFor: (re: RegExp, timeoutMs?: number) => Promise<void>;
}

export function startCli(
  args: string[],
  opts: { env?: Record<string, string>; out?: string; nodeArgs?: string[] } = {},
): Started {
  const out = opts.out ?? tempDir();
  const runId = newRunId();
  const child = execa(process.execPath, [...(opts.nodeArgs ?? []), CLI, 'run', '--output', out, ...args], {
    reject: false,
    env: { TB2_RUN_ID: runId, ...opts.env },
    timeout: 240_000,
    // 1 GB of agent output must not come back through us: keep only what the test reads.
    maxBuffer: 256 * 1024 * 1024,
  });
  let err = '';
  const waiters: Array<{ re: RegExp; resolve: () => void }> = [];
  child.stderr!.on('data', (c: Buffer) => {
    err = (err + c.toString()).slice(-1024 * 1024);
    for (const w of waiters.splice(0)) (w.re.test(err) ? w.resolve : () => waiters.push(w))();
  });
  const waitFor = (re: RegExp, timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      if (re.test(err)) return resolve();
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}:\n${err.slice(-2000)}`)), timeoutMs);
      waiters.push({ re, resolve: () => (clearTimeout(timer), resolve()) });
      void child.then(() => reject(new Error(`CLI exited before ${re}:\n${err.slice(-2000)}`)));
    });
  return { child, out, runId, stderr: () => err, waitFor };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Containers (any state) whose command line holds `marker`: e.g. a build step's. */
export async function containersWith(marker: string): Promise<string[]> {
  const all = String((await execa('docker', ['ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Command}}'])).stdout);
  return all.split('\n').filter((l) => l.includes(marker));
}

/** Labelled leftovers of a run; none may remain, checked at once and again a moment later. */
export async function expectNothingLeft(runId: string, marker?: string, settleMs = 1500): Promise<void> {
  for (const wait of settleMs ? [0, settleMs] : [0]) {
    await sleep(wait);
    if ((await leftovers(runId)).length) throw new Error(`run ${runId} left: ${(await leftovers(runId)).join(' ')}`);
    if (marker && (await containersWith(marker)).length)
      throw new Error(`a container with ${marker} remains: ${(await containersWith(marker)).join('; ')}`);
  }
}

/** Every regular file under dir, recursively. */
export function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? allFiles(p) : d.isFile() ? [p] : [];
  });
}

export function readJsonFile<T = any>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** Each trial's result.json, and the job's, must parse and agree on the counts. */
export function results(out: string): { job: any; trials: any[] } {
  const job = readJsonFile(path.join(out, 'result.json'));
  const trials = readdirSync(out, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => readJsonFile(path.join(out, d.name, 'result.json')));
  if (job.n_trials !== trials.length) throw new Error(`job says ${job.n_trials} trials, folder has ${trials.length}`);
  return { job, trials };
}
