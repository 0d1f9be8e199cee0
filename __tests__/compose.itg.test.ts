// docker compose environments against real Docker and the compose this machine has (v1 on
// Debian, the v2 plugin on GitHub's runners): a sidecar built from its own Dockerfile,
// healthy before `main` starts, reached by service name; limits that apply inside `main`;
// everything the project made gone afterwards. Failures and cancellation: faults/compose.
import { execa } from 'execa';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, leftovers, runCli, tempDir, trialResults } from './helpers/cli.js';

const task = path.join(FIXTURES, 'compose-sidecar');

/** Images compose built for a sidecar of some project of this task (must not pile up). */
async function sidecarImages(): Promise<string[]> {
  const out = await execa('docker', [
    'images',
    '--format',
    '{{.Repository}}',
    '--filter',
    'reference=tb2-compose-sidecar*',
  ]);
  return String(out.stdout).split('\n').filter(Boolean);
}

test('the oracle reaches the sidecar by name; main runs under the task limits; nothing of the project is left', async () => {
  const r = await runCli([task, '--agent', 'oracle']);
  expect(r.stderr).toMatch(/compose project tb2-compose-sidecar__\w+ \((docker compose|docker-compose)\): main, web/);
  expect(r.exitCode).toBe(0);
  const [t] = trialResults(r.out);
  expect(t).toMatchObject({ status: 'completed', reward: 1, task_name: 'tb2/compose-sidecar' });
  // memory_mb = 256 and cpus = 1, read by test.sh from main's own cgroup (v1 or v2).
  const [mem, cpu] = readFileSync(path.join(r.out, t.trial_name, 'verifier', 'limits.txt'), 'utf8')
    .trim()
    .split('\n');
  expect(Number(mem)).toBe(256 * 1024 * 1024);
  const [quota, period] = cpu.split(' ').map(Number);
  expect(quota / period).toBe(1);
  expect(await leftovers(r.runId)).toEqual([]);
  expect(await sidecarImages()).toEqual([]);
});

test('two trials of the same compose task at once never collide (a project per trial)', async () => {
  const r = await runCli([task, '--agent', 'oracle', '--attempts', '2', '--concurrency', '2']);
  expect(r.exitCode).toBe(0);
  expect(trialResults(r.out).map((t) => t.reward)).toEqual([1, 1]);
  expect(await leftovers(r.runId)).toEqual([]);
});

test('isolated verifier: a fresh container from a snapshot of main, without the sidecars', async () => {
  const r = await runCli([task, '--agent', 'oracle', '--verifier-mode', 'isolated']);
  const [t] = trialResults(r.out);
  // The oracle's file is in the snapshot; the sidecar is not re-created, so the check of
  // its live value fails (docs/LIFECYCLE.md), and the trial is still a completed one.
  expect(t).toMatchObject({ status: 'completed', reward: 0 });
  expect(readFileSync(path.join(r.out, t.trial_name, 'verifier', 'limits.txt'), 'utf8')).toMatch(/^268435456\n/);
  expect(await leftovers(r.runId)).toEqual([]);
});

test('a no-network compose task: the project networks are internal, the sidecar still reached by name', async () => {
  const dir = path.join(tempDir('tb2-compose-'), 'compose-sidecar-offline');
  cpSync(task, dir, { recursive: true });
  const toml = readFileSync(path.join(dir, 'task.toml'), 'utf8').replace(
    '[environment]\n',
    '[environment]\nallow_internet = false\n',
  );
  writeFileSync(path.join(dir, 'task.toml'), toml);
  const r = await runCli([dir, '--agent', 'oracle']);
  expect(r.exitCode).toBe(0);
  expect(trialResults(r.out)[0]).toMatchObject({ status: 'completed', reward: 1 });
  expect(await leftovers(r.runId)).toEqual([]);
});

test('--network host is refused for a compose task with one line and exit 2', async () => {
  const r = await runCli([task, '--agent', 'oracle', '--network', 'host']);
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toMatch(/--network host: not supported for a compose task/);
  expect(await leftovers(r.runId)).toEqual([]);
});
