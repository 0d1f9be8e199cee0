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

describe('runArgs', () => {
  const cases: Array<[string, Partial<ContainerSpec>, string[], string[]]> = [
    [
      'limits and labels',
      {},
      ['--cpus', '2', '--memory', '512m', '--memory-swap', '512m', '--label', 'dev.tb2.run=r1', '--init', '--detach'],
      ['--network', '--pids-limit'],
    ],
    ['pids limit', { pidsLimit: 4096 }, ['--pids-limit', '4096'], []],
    ['no network', { network: 'none' }, ['--network', 'none'], []],
    ['host network', { network: 'host' }, ['--network', 'host'], []],
    [
      'read-only mount',
      { mounts: [{ host: '/c/claude', container: '/opt/claude', readonly: true }] },
      ['--volume', '/c/claude:/opt/claude:ro'],
      [],
    ],
    ['env by name only', { envNames: ['SECRET', 'A'] }, ['--env', 'SECRET', '--env', 'A'], ['SECRET=']],
  ];
  test.each(cases)('%s', (_name, over, present, absent) => {
    const args = runArgs({ ...base, ...over });
    const joined = args.join(' ');
    for (let i = 0; i < present.length; i += 1) expect(args).toContain(present[i]);
    for (const a of absent) expect(joined).not.toContain(a);
    expect(args.slice(0, 2)).toEqual(['run', '--detach']);
  });

  test('flag pairs stay adjacent', () => {
    const args = runArgs({ ...base, network: 'host', pidsLimit: 10 });
    expect(args[args.indexOf('--network') + 1]).toBe('host');
    expect(args[args.indexOf('--memory') + 1]).toBe('512m');
    expect(args[args.indexOf('--name') + 1]).toBe('tb2-t__abc');
  });

  test('image comes after all flags and keeps the container alive with sh', () => {
    const args = runArgs(base);
    const i = args.indexOf('img:1');
    expect(args[i - 1]).toBe('sh');
    expect(args[i - 2]).toBe('--entrypoint');
    expect(args[i + 1]).toBe('-c');
    expect(args[i + 2]).toMatch(/while :; do sleep/);
  });
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
    expect(buildArgs({ context: '/e', tag: 't', labels: {}, noCache: true })).toContain('--no-cache');
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
