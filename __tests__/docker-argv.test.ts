import { buildArgs, commitArgs, copyInArgs, execArgs, runArgs, type ContainerSpec } from '../src/docker/argv.js';

const base: ContainerSpec = {
  name: 'tb2-t__abc',
  image: 'img:1',
  labels: { 'dev.tb2.run': 'r1' },
  cpus: 2,
  memoryMb: 512,
  mounts: [{ host: '/out/agent', container: '/logs/agent' }],
  envNames: [],
};

// Whole argv arrays, as docker/build-push-action's getArgs tables: a flag in the wrong
// place, a duplicate or a stray value fails the case.
const KEEP_ALIVE = ['--entrypoint', 'sh', 'img:1', '-c', 'trap "exit 0" TERM; while :; do sleep 86400 & wait $!; done'];
const HEAD = ['run', '--detach', '--init', '--name', 'tb2-t__abc', '--label', 'dev.tb2.run=r1'];
const LIMITS = ['--cpus', '2', '--memory', '512m', '--memory-swap', '512m'];
const AGENT_MOUNT = ['--volume', '/out/agent:/logs/agent'];

describe('runArgs', () => {
  test.each<[string, Partial<ContainerSpec>, string[]]>([
    ['limits, labels, mounts, keep-alive', {}, [...HEAD, ...LIMITS, ...AGENT_MOUNT, ...KEEP_ALIVE]],
    ['pids limit', { pidsLimit: 4096 }, [...HEAD, ...LIMITS, '--pids-limit', '4096', ...AGENT_MOUNT, ...KEEP_ALIVE]],
    ['no network', { network: 'none' }, [...HEAD, ...LIMITS, '--network', 'none', ...AGENT_MOUNT, ...KEEP_ALIVE]],
    ['host network', { network: 'host' }, [...HEAD, ...LIMITS, '--network', 'host', ...AGENT_MOUNT, ...KEEP_ALIVE]],
    ['speculative start', { pullNever: true }, [...HEAD, ...LIMITS, '--pull', 'never', ...AGENT_MOUNT, ...KEEP_ALIVE]],
    [
      'read-only mount',
      { mounts: [{ host: '/c/claude', container: '/opt/claude', readonly: true }] },
      [...HEAD, ...LIMITS, '--volume', '/c/claude:/opt/claude:ro', ...KEEP_ALIVE],
    ],
    [
      'env by name only, never a value',
      { envNames: ['SECRET', 'A'] },
      [...HEAD, ...LIMITS, ...AGENT_MOUNT, '--env', 'SECRET', '--env', 'A', ...KEEP_ALIVE],
    ],
    [
      'several labels in order',
      { labels: { a: '1', b: '2' } },
      [
        'run',
        '--detach',
        '--init',
        '--name',
        'tb2-t__abc',
        '--label',
        'a=1',
        '--label',
        'b=2',
        ...LIMITS,
        ...AGENT_MOUNT,
        ...KEEP_ALIVE,
      ],
    ],
  ])('%s', (_name, over, want) => expect(runArgs({ ...base, ...over })).toEqual(want));
});

describe('execArgs', () => {
  test.each([
    [{ container: 'c' }, ['sh'], ['exec', 'c', 'sh']],
    [{ container: 'c', interactive: true }, ['sh'], ['exec', '--interactive', 'c', 'sh']],
    [{ container: 'c', envNames: ['K'] }, ['x'], ['exec', '--env', 'K', 'c', 'x']],
    [
      { container: 'c', workdir: '/app', user: '1000' },
      ['x'],
      ['exec', '--workdir', '/app', '--user', '1000', 'c', 'x'],
    ],
  ])('%j %j', (spec, cmd, want) => expect(execArgs(spec, cmd)).toEqual(want));
});

describe('other builders', () => {
  test('build uses --force-rm and the content tag', () => {
    expect(buildArgs({ context: '/t/environment', tag: 'tb2-env/x:abc', labels: { k: 'v' } })).toEqual([
      'build',
      '--force-rm',
      '--tag',
      'tb2-env/x:abc',
      '--label',
      'k=v',
      '/t/environment',
    ]);
    expect(buildArgs({ context: '/e', tag: 't', labels: {}, noCache: true })).toEqual([
      'build',
      '--force-rm',
      '--tag',
      't',
      '--no-cache',
      '/e',
    ]);
  });
  test('copy copies the folder contents', () => {
    expect(copyInArgs('c', '/task/tests/', '/tests')).toEqual(['cp', '/task/tests/.', 'c:/tests']);
  });
  test('commit labels the snapshot', () => {
    expect(commitArgs('c', 'snap:1', { 'dev.tb2.run': 'r' })).toEqual([
      'commit',
      '--change',
      'LABEL dev.tb2.run=r',
      'c',
      'snap:1',
    ]);
  });
});
