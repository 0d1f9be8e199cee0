// The Docker layer against a real engine: limits, labels, mounts, network policy, the pull
// path (a local registry), content-tagged builds, build failures, cancellation, no daemon.
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, EXAMPLES, ROOT, leftovers, newRunId, readJson, runCli, tempDir, trialResults } from './helpers/cli.js';

const hello = path.join(EXAMPLES, 'hello-world');

/** A copy of an example task with task.toml replaced, in a temp folder. */
function taskCopy(from: string, toml: string, extra: Record<string, string> = {}): string {
  const dir = path.join(tempDir(), path.basename(from));
  cpSync(from, dir, { recursive: true });
  writeFileSync(path.join(dir, 'task.toml'), toml);
  for (const [rel, text] of Object.entries(extra)) writeFileSync(path.join(dir, rel), text);
  return dir;
}

async function inspectWhileRunning(runId: string): Promise<any> {
  for (let i = 0; i < 100; i++) {
    const ps = String((await execa('docker', ['ps', '-q', '--filter', `label=dev.tb2.run=${runId}`])).stdout).trim();
    if (ps) return JSON.parse(String((await execa('docker', ['inspect', ps.split('\n')[0]])).stdout))[0];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no running container seen');
}

test('the container gets task.toml limits, labels, log mounts, no network when allow_internet = false', async () => {
  const task = taskCopy(
    hello,
    '[agent]\ntimeout_sec = 60\n[environment]\ncpus = 0.5\nmemory = "300M"\nallow_internet = false\n',
  );
  const runId = newRunId();
  const run = execa(
    process.execPath,
    [CLI, 'run', task, '--output', tempDir(), '--agent', 'command', '--agent-command', 'sleep 4'],
    { env: { TB2_RUN_ID: runId }, reject: false },
  );
  const info = await inspectWhileRunning(runId);
  await run;
  expect(info.HostConfig.NanoCpus).toBe(500_000_000);
  expect(info.HostConfig.Memory).toBe(300 * 1024 * 1024);
  expect(info.HostConfig.PidsLimit).toBe(4096);
  expect(info.HostConfig.NetworkMode).toBe('none');
  expect(info.Config.Labels).toMatchObject({ 'dev.tb2.run': runId, 'dev.tb2.managed': 'true' });
  expect(info.Mounts.map((m: { Destination: string }) => m.Destination).sort()).toEqual([
    '/logs/agent',
    '/logs/verifier',
  ]);
  expect(info.Config.WorkingDir).toBe('/app');
  expect(await leftovers(runId)).toEqual([]);
});

test('a pinned docker_image is pulled when not local (registry on 127.0.0.1:5000)', async () => {
  await execa(path.join(ROOT, 'scripts', 'local-registry.sh'));
  // The image: the example's built environment, pushed to the local registry.
  const first = await runCli([hello]);
  const built = trialResults(first.out)[0].run_config.image as string;
  const ref = `127.0.0.1:5000/tb2-test/hello-${randomBytes(4).toString('hex')}:1`;
  await execa('docker', ['tag', built, ref]);
  await execa('docker', ['push', ref]);
  await execa('docker', ['rmi', ref]);
  const task = taskCopy(hello, `version = "1.0"\n[environment]\ndocker_image = "${ref}"\n`);
  const r = await runCli([task]);
  const [t] = trialResults(r.out);
  expect(t).toMatchObject({ status: 'completed', reward: 1, run_config: { image: ref } });
  expect(await execa('docker', ['image', 'inspect', ref]).then(() => true)).toBe(true);
  const lines = String(r.stderr);
  expect(lines).toContain(`pulling ${ref}`);
  expect(lines).toContain('(pulled)');
  // Second run: the local copy is used.
  const again = await runCli([task]);
  expect(again.stderr).toContain('(local)');
  await execa('docker', ['rmi', ref]);
  // A missing image is an infrastructure error: exit 3.
  const missing = await runCli([
    taskCopy(hello, 'version = "1.0"\n[environment]\ndocker_image = "127.0.0.1:5000/tb2-test/absent:1"\n'),
  ]);
  expect(missing.exitCode).toBe(3);
  expect(trialResults(missing.out)[0]).toMatchObject({
    status: 'error',
    exception_info: { exception_type: 'ImagePullError' },
  });
});

test('builds are tagged by content: reused when unchanged, rebuilt when changed', async () => {
  const task = taskCopy(hello, 'version = "1.0"\n');
  const a = await runCli([task]);
  const b = await runCli([task]);
  expect(b.stderr).toContain('(cached-build)');
  writeFileSync(
    path.join(task, 'environment', 'Dockerfile'),
    `FROM tb2-base/busybox:latest\nWORKDIR /app\nENV CHANGED=${randomBytes(3).toString('hex')}\n`,
  );
  const c = await runCli([task]);
  const tag = (r: { out: string }) => trialResults(r.out)[0].run_config.image;
  expect(tag(a)).toBe(tag(b));
  expect(tag(c)).not.toBe(tag(a));
  expect(c.stderr).toContain('(built)');
});

test('a Dockerfile that fails to build: exit 3, ImageBuildError, no build container left', async () => {
  const marker = `tb2fail${randomBytes(4).toString('hex')}`;
  const task = taskCopy(hello, 'version = "1.0"\n');
  writeFileSync(
    path.join(task, 'environment', 'Dockerfile'),
    `FROM tb2-base/busybox:latest\nRUN echo ${marker} && exit 7\n`,
  );
  const r = await runCli([task]);
  expect(r.exitCode).toBe(3);
  const [t] = trialResults(r.out);
  expect(t).toMatchObject({ status: 'error', exception_info: { exception_type: 'ImageBuildError' } });
  expect(t.exception_info.exception_message).toMatch(/returned a non-zero code: 7|exit code: 7/);
  const all = String((await execa('docker', ['ps', '-a', '--no-trunc', '--format', '{{.Command}}'])).stdout);
  expect(all).not.toContain(marker);
});

test.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)('%s mid-agent: cancelled result written, nothing left, exit %i within 5 s', async (signal, code) => {
  const out = tempDir();
  const runId = newRunId();
  const child = execa(
    process.execPath,
    [CLI, 'run', hello, '--output', out, '--agent', 'command', '--agent-command', 'sleep 300'],
    { env: { TB2_RUN_ID: runId }, reject: false },
  );
  await inspectWhileRunning(runId);
  await new Promise((r) => setTimeout(r, 500));
  const sentAt = Date.now();
  child.kill(signal);
  const res = await child;
  expect(Date.now() - sentAt).toBeLessThan(5000);
  expect(res.exitCode).toBe(code);
  expect(trialResults(out)[0]).toMatchObject({
    status: 'cancelled',
    exception_info: { exception_type: 'CancelledError' },
  });
  expect(readJson(path.join(out, 'result.json')).counts.cancelled).toBe(1);
  expect(await leftovers(runId)).toEqual([]);
});

test('no Docker daemon: a clear message and exit 3 within seconds', async () => {
  const started = Date.now();
  const r = await runCli([hello], { env: { DOCKER_HOST: 'unix:///tmp/tb2-no-such-docker.sock' } });
  expect(Date.now() - started).toBeLessThan(15_000);
  expect(r.exitCode).toBe(3);
  expect(r.stderr).toMatch(/DockerUnavailable: Docker daemon unreachable/);
  expect(trialResults(r.out)[0]).toMatchObject({
    status: 'error',
    exception_info: { exception_type: 'DockerUnavailable' },
  });
});
