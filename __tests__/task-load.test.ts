import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTask } from '../src/task/load.js';
import { parseSize } from '../src/task/schema.js';

/** A valid task folder; `over` replaces or (with null) removes files. */
function makeTask(over: Record<string, string | null> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tb2-task-'));
  const files: Record<string, string | null> = {
    'task.toml': 'version = "1.0"\n',
    'instruction.md': 'Do it.\n',
    'tests/test.sh': '#!/bin/sh\necho 1 > /logs/verifier/reward.txt\n',
    'environment/Dockerfile': 'FROM x\n',
    'solution/solve.sh': '#!/bin/sh\ntrue\n',
    ...over,
  };
  for (const [rel, text] of Object.entries(files)) {
    if (text === null) continue;
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
    if (rel.endsWith('.sh')) chmodSync(path.join(dir, rel), 0o755);
  }
  return dir;
}

describe('loadTask: the two task.toml dialects', () => {
  test('TB2.0 defaults and sizes', async () => {
    const t = await loadTask(
      makeTask({ 'task.toml': 'version = "1.0"\n[environment]\nmemory = "2G"\nstorage = "10G"\n' }),
    );
    expect(t.config).toMatchObject({
      agentTimeoutSec: 600,
      verifierTimeoutSec: 600,
      buildTimeoutSec: 600,
      cpus: 1,
      memoryMb: 2048,
      storageMb: 10240,
      network: 'public',
    });
  });
  test('1.1 dialect: name, memory_mb, no-network, env tables, unknown keys kept', async () => {
    const t = await loadTask(
      makeTask({
        'task.toml': `schema_version = "1.1"\n[task]\nname = "org/my-task"\n[metadata]\ntags = ["a"]\n[agent]\ntimeout_sec = 30\n[verifier]\ntimeout_sec = 20\n[verifier.env]\nX = "1"\n[solution.env]\nY = 2\n[environment]\nmemory_mb = 4096\ncpus = 2\nnetwork_mode = "no-network"\nfuture_key = true\n[environment.env]\nZ = "z"\n`,
      }),
    );
    expect(t.name).toBe('org/my-task');
    expect(t.slug).toBe('my-task');
    expect(t.config).toMatchObject({
      agentTimeoutSec: 30,
      verifierTimeoutSec: 20,
      cpus: 2,
      memoryMb: 4096,
      network: 'no-network',
      env: { Z: 'z' },
      verifierEnv: { X: '1' },
      solutionEnv: { Y: '2' },
      metadata: { tags: ['a'] },
    });
  });
  test('allow_internet = false means no network', async () => {
    const t = await loadTask(makeTask({ 'task.toml': '[environment]\nallow_internet = false\n' }));
    expect(t.config.network).toBe('no-network');
  });
  test('docker_image without a Dockerfile is fine', async () => {
    const t = await loadTask(
      makeTask({ 'task.toml': '[environment]\ndocker_image = "ghcr.io/x/y:1"\n', 'environment/Dockerfile': null }),
    );
    expect(t.config.dockerImage).toBe('ghcr.io/x/y:1');
    expect(t.hasDockerfile).toBe(false);
  });
});

describe('loadTask: one clear line per problem', () => {
  const cases: Array<[string, Record<string, string | null>, RegExp, object]> = [
    ['missing task.toml', { 'task.toml': null }, /task\.toml: missing/, {}],
    ['bad TOML', { 'task.toml': '[agent\ntimeout_sec = 1' }, /task\.toml: invalid TOML at line \d+/, {}],
    [
      'wrong type',
      { 'task.toml': '[agent]\ntimeout_sec = "ten"\n' },
      /task\.toml: \[agent\] timeout_sec: expected number, received string, got "ten"/,
      {},
    ],
    [
      'negative timeout',
      { 'task.toml': '[verifier]\ntimeout_sec = -5\n' },
      /\[verifier\] timeout_sec: .*>0.*got -5/,
      {},
    ],
    ['bad memory', { 'task.toml': '[environment]\nmemory = "lots"\n' }, /\[environment\] memory: expected a size/, {}],
    [
      'bad network_mode',
      { 'task.toml': '[environment]\nnetwork_mode = "bridge"\n' },
      /\[environment\] network_mode:/,
      {},
    ],
    ['missing instruction', { 'instruction.md': null }, /instruction\.md: missing/, {}],
    ['empty instruction', { 'instruction.md': '  \n' }, /instruction\.md: empty/, {}],
    [
      'huge instruction',
      { 'instruction.md': 'x'.repeat(200 * 1024) },
      /instruction\.md: \d+ bytes, expected at most/,
      {},
    ],
    ['missing test.sh', { 'tests/test.sh': null }, /tests\/test\.sh: missing/, {}],
    ['CRLF test.sh', { 'tests/test.sh': '#!/bin/sh\r\necho 1\r\n' }, /tests\/test\.sh: has CRLF/, {}],
    [
      'no Dockerfile, no image',
      { 'environment/Dockerfile': null },
      /environment\/Dockerfile: missing \(task\.toml sets no \[environment\] docker_image\)/,
      {},
    ],
    [
      'oracle without solve.sh',
      { 'solution/solve.sh': null },
      /solution\/solve\.sh: missing/,
      { requireSolution: true },
    ],
    [
      'forced build without Dockerfile',
      { 'task.toml': '[environment]\ndocker_image = "x"\n', 'environment/Dockerfile': null },
      /a build was forced/,
      { forceBuild: true },
    ],
  ];
  test.each(cases)('%s', async (_n, over, re, opts) => {
    const dir = makeTask(over);
    await expect(loadTask(dir, opts)).rejects.toThrow(re);
    await expect(loadTask(dir, opts)).rejects.toMatchObject({ kind: 'validation' });
  });

  test('test.sh and solve.sh need not be executable (Harbor runs them with bash)', async () => {
    const dir = makeTask();
    chmodSync(path.join(dir, 'tests/test.sh'), 0o644);
    chmodSync(path.join(dir, 'solution/solve.sh'), 0o644);
    await expect(loadTask(dir, { requireSolution: true })).resolves.toMatchObject({ name: path.basename(dir) });
  });
  test('a folder where test.sh belongs', async () => {
    const dir = makeTask({ 'tests/test.sh': null });
    mkdirSync(path.join(dir, 'tests/test.sh'), { recursive: true });
    await expect(loadTask(dir)).rejects.toThrow(/tests\/test\.sh: expected a file .* found a folder/);
  });
  test('symlink escaping the task folder', async () => {
    const dir = makeTask();
    symlinkSync('/etc/passwd', path.join(dir, 'tests/passwd'));
    await expect(loadTask(dir)).rejects.toThrow(/tests\/passwd: symlink points outside the task folder/);
  });
  test('dangling symlink', async () => {
    const dir = makeTask();
    symlinkSync(path.join(dir, 'nope'), path.join(dir, 'environment/data'));
    await expect(loadTask(dir)).rejects.toThrow(/environment\/data: dangling symlink/);
  });
  test('not a directory', async () => {
    await expect(loadTask('/nonexistent/task')).rejects.toThrow('/nonexistent/task: not a task folder');
  });
});

test.each([
  ['2G', 2048],
  ['512M', 512],
  ['1.5GB', 1536],
  ['2048', 2048],
  ['1Gi', 1024],
  ['abc', undefined],
  ['0', undefined],
])('parseSize(%j) = %j', (s, mb) => expect(parseSize(s)).toBe(mb));
