// The Environment interface against real Docker, used as the runner uses it: start a
// task's environment, exec (collected and streamed, as a user, in a cwd, env by name),
// copy in and out, stop; nothing left.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DockerCli } from '../src/docker/cli.js';
import { DockerEnvironments } from '../src/environment/factory.js';
import { loadTask } from '../src/task/load.js';
import { makeTask } from './faults/kit.js';
import { leftovers, newRunId, tempDir } from './helpers/cli.js';

test('start, exec, copy in and out, stop: the operations the runner uses, and nothing left', async () => {
  const dir = makeTask('environment-ops', {
    toml: 'schema_version = "1.1"\n[environment]\ndocker_image = "tb2-base/busybox:latest"\nworkdir = "/work"\n',
  });
  const task = await loadTask(dir);
  const out = tempDir();
  for (const d of ['agent', 'verifier']) mkdirSync(path.join(out, d));
  const runId = newRunId();
  const lines: string[] = [];
  const signal = new AbortController().signal;
  const env = await new DockerEnvironments(new DockerCli()).start({
    task,
    trialName: 'environment-ops__t3st123',
    runId,
    agentDir: path.join(out, 'agent'),
    verifierDir: path.join(out, 'verifier'),
    prepared: Promise.resolve({ mounts: [] }),
    forceBuild: false,
    pidsLimit: 256,
    signal,
    onLine: (l) => lines.push(l),
    onImage: (ref, source) => lines.push(`image ${ref} (${source})`),
  });
  try {
    expect(lines).toContain('image tb2-base/busybox:latest (local)');
    const who = await env.exec('echo "$(id -u) $(pwd) $TB2_SECRET"', {
      user: '4321',
      cwd: '/work',
      env: { TB2_SECRET: 'by-name-only' },
    });
    expect(who).toMatchObject({ exitCode: 0, stdout: '4321 /work by-name-only\n' });
    const streamed: string[] = [];
    await env.exec('echo one; echo two >&2', { onLine: (l, s) => streamed.push(`${s}:${l}`) });
    expect(streamed.sort()).toEqual(['stderr:two', 'stdout:one']);
    const src = tempDir();
    writeFileSync(path.join(src, 'in.txt'), 'copied in\n');
    await env.copyIn(src, '/data', signal);
    await env.run('cp /data/in.txt /data/out.txt && echo changed >> /data/out.txt', signal);
    const dest = tempDir();
    await env.copyOut('/data/out.txt', path.join(dest, 'out.txt'), signal);
    expect(readFileSync(path.join(dest, 'out.txt'), 'utf8')).toBe('copied in\nchanged\n');
    expect(await env.running()).toMatchObject({ running: true });
  } finally {
    await env.stop();
  }
  expect(await leftovers(runId)).toEqual([]);
});
