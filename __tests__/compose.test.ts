// docker compose, pure parts: argv for both flavours (whole arrays, as argv.ts's tables),
// our base definition, and reading the task's compose file.
import { BUILD_V1, composeArgs, composeError, DOWN, UP, type ComposeFlavor } from '../src/docker/compose-argv.js';
import { composeBase, composeNetworks } from '../src/environment/compose-base.js';
import { parseCompose, type ComposeFile } from '../src/task/compose.js';

const project = {
  name: 'tb2-t__abc',
  files: ['/tmp/b/base.compose.json', '/t/environment/docker-compose.yaml'],
  directory: '/t/environment',
};
const GLOBAL = [
  '--project-name',
  'tb2-t__abc',
  '--project-directory',
  '/t/environment',
  '--file',
  '/tmp/b/base.compose.json',
  '--file',
  '/t/environment/docker-compose.yaml',
];

describe('composeArgs', () => {
  test.each<[ComposeFlavor, readonly string[], { bin: string; args: string[] }]>([
    ['v2', UP, { bin: 'docker', args: ['compose', ...GLOBAL, 'up', '--detach', '--no-color'] }],
    ['v1', UP, { bin: 'docker-compose', args: [...GLOBAL, 'up', '--detach', '--no-color'] }],
    [
      'v2',
      DOWN,
      {
        bin: 'docker',
        args: ['compose', ...GLOBAL, 'down', '--timeout', '0', '--volumes', '--remove-orphans', '--rmi', 'local'],
      },
    ],
    [
      'v1',
      DOWN,
      {
        bin: 'docker-compose',
        args: [...GLOBAL, 'down', '--timeout', '0', '--volumes', '--remove-orphans', '--rmi', 'local'],
      },
    ],
    ['v1', BUILD_V1, { bin: 'docker-compose', args: [...GLOBAL, 'build', '--force-rm'] }],
  ])('%s %j', (flavor, sub, want) => expect(composeArgs(flavor, project, sub)).toEqual(want));
});

const file = (over: Partial<ComposeFile> = {}): ComposeFile => ({
  file: '/t/environment/docker-compose.yaml',
  services: ['main', 'db'],
  networks: {},
  volumes: {},
  externalDefault: false,
  mainImage: false,
  builds: [],
  ...over,
});
const labels = { 'dev.tb2.run': 'r1' };
const spec = {
  name: 'tb2-t__abc-main',
  image: 'tb2-env/t:abc',
  labels,
  cpus: 2,
  memoryMb: 512,
  pidsLimit: 4096,
  mounts: [{ host: '/out/agent', container: '/logs/agent' }],
  envNames: ['API_KEY'],
};

describe('composeError', () => {
  test.each([
    [
      'v1, unhealthy dependency',
      'Creating p_web_1 ... done\n\nERROR: for main  Container "abc" is unhealthy.\nERROR: Encountered errors while bringing up the project.\n',
      'for main  Container "abc" is unhealthy.',
    ],
    [
      'v2, unhealthy dependency',
      ' Container p-web-1  Error\ndependency failed to start: container p-web-1 is unhealthy\n',
      'dependency failed to start: container p-web-1 is unhealthy',
    ],
    [
      'v1, failed build',
      "Service 'web' failed to build : The command '/bin/sh -c exit 7' returned a non-zero code: 7\n",
      "Service 'web' failed to build : The command '/bin/sh -c exit 7' returned a non-zero code: 7",
    ],
  ])('%s', (_n, stderr, want) => expect(composeError(stderr)).toBe(want));
});

describe('composeBase', () => {
  test('main: image, keep-alive with $ escaped for compose, limits that apply outside swarm, env by name, labels everywhere', () => {
    expect(composeBase({ ...spec, compose: file({ networks: { back: {} }, volumes: { data: {} } }) })).toEqual({
      services: {
        main: {
          image: 'tb2-env/t:abc',
          container_name: 'tb2-t__abc-main',
          entrypoint: ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 86400 & wait $$!; done'],
          init: true,
          labels,
          cpus: 2,
          mem_limit: '512m',
          memswap_limit: '512m',
          pids_limit: 4096,
          volumes: ['/out/agent:/logs/agent'],
          environment: ['API_KEY'],
        },
        db: { labels },
      },
    });
  });
  test('no network: the project networks are internal; a task that builds main keeps its own image', () => {
    const b = composeBase({ ...spec, network: 'none', compose: file({ mainImage: true }) }) as any;
    expect(b.networks).toBeUndefined();
    expect(b.services.main.image).toBeUndefined();
    expect(b.services.main.network_mode).toBeUndefined();
  });
  test('host network and GPUs', () => {
    const b = composeBase({ ...spec, network: 'host', gpus: 1, compose: file() }) as any;
    expect(b.services.main.network_mode).toBe('host');
    expect(b.services.main.deploy).toEqual({
      resources: { reservations: { devices: [{ driver: 'nvidia', count: 1, capabilities: ['gpu'] }] } },
    });
  });
});

describe('composeNetworks (a third file: v1 replaces a top-level network whole)', () => {
  test("the task's definitions with our labels; internal for no network; external ones untouched", () => {
    const compose = file({
      networks: { back: { driver: 'bridge', labels: ['team=x'] } },
      volumes: { data: { driver: 'local' } },
    });
    expect(composeNetworks({ labels, network: 'none', compose })).toEqual({
      networks: {
        default: { labels, internal: true },
        back: { driver: 'bridge', labels: { team: 'x', ...labels }, internal: true },
      },
      volumes: { data: { driver: 'local', labels } },
    });
    expect(composeNetworks({ labels, compose: file({ externalDefault: true }) })).toEqual({ networks: {} });
  });
});

describe('parseCompose', () => {
  const rel = 'environment/docker-compose.yaml';
  test('services, networks and volumes the project creates; external ones left out', () => {
    const text = `services:\n  main:\n    build: .\n  db:\n    image: x\nnetworks:\n  back: {}\n  shared:\n    external: true\nvolumes:\n  data:\n`;
    expect(parseCompose(text, rel, '/t')).toEqual({
      file: '/t/environment/docker-compose.yaml',
      services: ['main', 'db'],
      networks: { back: {} },
      volumes: { data: {} },
      externalDefault: false,
      mainImage: true,
      builds: ['main'],
    });
  });
  test.each([
    [
      'services:\n  main:\n    image: [unclosed\n',
      /^environment\/docker-compose.yaml: invalid YAML at line \d+, column \d+: /,
    ],
    ['- just\n- a list\n', /^environment\/docker-compose.yaml: expected a compose file with a "services" mapping$/],
    ['services:\n  db: 3\n', /^environment\/docker-compose.yaml: services.db: expected a mapping$/],
  ])('%j is one clear line', (text, re) => expect(() => parseCompose(text, rel, '/t')).toThrow(re));
});
