// Fault suite, Docker trouble: no daemon, the daemon stopped mid-run (a second dockerd of
// our own, never the shared one), and a full disk under the output folder (a small tmpfs).
import { jest } from '@jest/globals';
import { execa } from 'execa';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { tempDir } from '../helpers/cli.js';
import { BUSYBOX, expectNothingLeft, makeTask, results, sleep, startCli } from './kit.js';
import { waitUntil } from '../helpers/wait.js';

jest.setTimeout(120_000);

const task = makeTask('fault-docker', {
  toml: `version = "1.0"\n[environment]\ndocker_image = "${BUSYBOX}"\nallow_internet = false\n[verifier]\ntimeout_sec = 30\n`,
});

describe('docker trouble', () => {
  test.each([
    [
      'DOCKER_HOST names no socket',
      { DOCKER_HOST: 'unix:///tmp/tb2-no-such-docker.sock' },
      /DockerUnavailable: Docker daemon unreachable/,
    ],
    [
      'DOCKER_HOST names a dead TCP port',
      { DOCKER_HOST: 'tcp://127.0.0.1:1' },
      /DockerUnavailable: Docker daemon unreachable/,
    ],
    ['the docker CLI is missing', { TB2_DOCKER_BIN: '/nonexistent/docker' }, /DockerUnavailable: docker CLI not found/],
  ])('no daemon, %s: a clear message and exit 3 within seconds', async (_what, env, line) => {
    const started = Date.now();
    const s = startCli([task, '--agent', 'command', '--agent-command', 'true'], { env });
    const res = await s.child;
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(res.exitCode).toBe(3);
    expect(
      String(res.stderr)
        .split('\n')
        .filter((l) => line.test(l)),
    ).toHaveLength(1);
    expect(String(res.stderr)).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(results(s.out).trials[0]).toMatchObject({
      status: 'error',
      exception_info: { exception_type: 'DockerUnavailable' },
    });
  });

  // Slow by nature (the client waits out our 30 s inspect timeout, then a start timeout).
  (process.env.TB2_SOAK === '1' ? test : test.skip)(
    'no daemon, a socket that accepts and never answers: exit 3, not a hang',
    async () => {
      const sock = path.join(tempDir(), 'mute.sock');
      const server = createServer(() => undefined).listen(sock);
      try {
        const started = Date.now();
        const s = startCli([task, '--agent', 'command', '--agent-command', 'true'], {
          env: { DOCKER_HOST: `unix://${sock}` },
        });
        const res = await s.child;
        expect(res.exitCode).toBe(3);
        expect(Date.now() - started).toBeLessThan(170_000);
        expect(results(s.out).trials[0]).toMatchObject({
          status: 'error',
          exception_info: { exception_type: 'DockerUnavailable' },
        });
      } finally {
        server.close();
      }
    },
    200_000,
  );
});

// A second dockerd with its own socket, data-root, exec-root and pidfile (its own
// containerd too): stopping it cannot touch the engine everyone else uses. It gets its own
// bridge interface too: `--bridge none` makes dockerd delete "docker0" at start, and that
// interface belongs to the shared engine (seen here: every other container lost its network).
const D2 = { sock: '/tmp/tb2-d2.sock', root: '/tmp/tb2-d2', pid: '/tmp/tb2-d2.pid', bridge: 'tb2d2br0' };
const D2_HOST = `unix://${D2.sock}`;

async function startD2(): Promise<void> {
  mkdirSync(D2.root, { recursive: true });
  execFileSync('sh', [
    '-c',
    `ip link show ${D2.bridge} >/dev/null 2>&1 || { ip link add ${D2.bridge} type bridge && ip addr add 10.231.77.1/24 dev ${D2.bridge}; }`,
  ]);
  const child = spawn(
    'dockerd',
    [
      '--host',
      D2_HOST,
      '--data-root',
      `${D2.root}/data`,
      '--exec-root',
      `${D2.root}/exec`,
      '--pidfile',
      D2.pid,
      '--bridge',
      D2.bridge,
      '--iptables=false',
      '--ip-masq=false',
      '--shutdown-timeout',
      '2',
    ],
    {
      detached: true,
      stdio: ['ignore', 'ignore', 'ignore'],
    },
  );
  child.unref();
  await waitUntil(
    'the second Docker daemon to answer',
    async () => (await execa('docker', ['info'], { env: { DOCKER_HOST: D2_HOST }, reject: false })).exitCode === 0,
    { timeoutMs: 30_000, everyMs: 250 },
  );
  await execa('sh', ['-c', `docker save ${BUSYBOX} | DOCKER_HOST=${D2_HOST} docker load`]);
}

/** SIGTERM, the daemon's own clean stop; waits until its pid is gone. */
async function stopD2(): Promise<void> {
  if (!existsSync(D2.pid)) return;
  const pid = Number(readFileSync(D2.pid, 'utf8'));
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const gone = () => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  };
  await waitUntil(`the second Docker daemon (pid ${pid}) to exit`, gone, { timeoutMs: 30_000, everyMs: 200 });
}

function wipeD2(): void {
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1])
    .filter((m) => m?.startsWith(D2.root));
  for (const m of mounts.reverse()) execFileSync('umount', ['-l', m]);
  rmSync(D2.root, { recursive: true, force: true });
  rmSync(D2.sock, { force: true });
  execFileSync('sh', ['-c', `ip link del ${D2.bridge} 2>/dev/null || true`]);
}

describe('docker trouble (own daemon)', () => {
  afterEach(async () => {
    await stopD2();
    wipeD2();
  });

  test.each([
    [
      'agent',
      'sleep 300',
      makeTask('fault-docker', {
        toml: `version = "1.0"\n[environment]\ndocker_image = "${BUSYBOX}"\nallow_internet = false\n`,
      }),
    ],
    [
      'verifier',
      'true',
      makeTask('fault-docker-verify', {
        toml: `version = "1.0"\n[environment]\ndocker_image = "${BUSYBOX}"\nallow_internet = false\n`,
        test: '#!/bin/sh\nsleep 300\n',
      }),
    ],
  ])('the daemon stopped mid-%s: a recorded infrastructure error, exit 3, not a hang', async (phase, cmd, t) => {
    await startD2();
    const s = startCli([t, '--agent', 'command', '--agent-command', cmd], { env: { DOCKER_HOST: D2_HOST } });
    await s.waitFor(new RegExp(`· ${phase}\\n`));
    await sleep(500);
    const stopped = Date.now();
    await stopD2();
    const res = await s.child;
    expect(Date.now() - stopped).toBeLessThan(30_000);
    expect(res.exitCode).toBe(3);
    const [trial] = results(s.out).trials;
    expect(trial.status).toBe('error');
    // The agent's exec failed first (Harbor's exception_info keeps it); the fatal one decided.
    const fatal = trial.exceptions.find((x: { fatal?: boolean }) => x.fatal);
    expect(fatal.exception_type).toMatch(/^(DockerUnavailable|DockerError|ContainerExecError|ContainerCopyError)$/);
    expect(String(res.stderr)).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    // The shared engine is untouched: its bridge is still there, its containers still run.
    await stopD2();
    expect(String((await execa('docker', ['run', '--rm', BUSYBOX, 'echo', 'shared ok'])).stdout)).toBe('shared ok');
  });
});

describe('docker trouble (disk full)', () => {
  let mnt = '';
  afterEach(() => {
    if (mnt) execFileSync('umount', ['-l', mnt]);
    mnt = '';
  });

  test('the output folder fills up while the agent writes: a warning, the result still written, nothing left', async () => {
    mnt = tempDir('tb2-full-');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tb2-fault-full', mnt]);
    const out = path.join(mnt, 'job');
    // 16 MB of output into a 4 MB folder: the agent's log fills the disk.
    const s = startCli(
      [task, '--agent', 'command', '--agent-command', 'yes 0123456789abcdefghijklmnopqrstuvwxyz | head -c 16000000'],
      { out },
    );
    const res = await s.child;
    expect(String(res.stderr)).toMatch(/OutputDiskFullError: .*no space left/i);
    expect(String(res.stderr)).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    const { job, trials } = results(out);
    expect(trials).toHaveLength(1);
    expect(trials[0].exceptions.map((e: { exception_type: string }) => e.exception_type)).toContain(
      'OutputDiskFullError',
    );
    // Room was made before the verifier ran: the verdict survived the agent's flood.
    expect(trials[0]).toMatchObject({ status: 'completed', reward: 0 });
    expect(job.n_trials).toBe(1);
    expect(res.exitCode).toBe(0); // completed, and no --min-reward: it passes
    await expectNothingLeft(s.runId);
    writeFileSync(path.join(mnt, 'probe'), 'the folder is usable again'); // space was given back
  });
});
