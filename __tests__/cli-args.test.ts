import { HELP, parseCli } from '../src/config/cli-args.js';
import { SETTINGS } from '../src/config/settings.js';

const run = (...args: string[]) => {
  const c = parseCli(['run', ...args], new Date('2026-01-02T03:04:05Z'));
  if (c.kind !== 'run') throw new Error('not run');
  return c.config;
};

describe('tb2 flags', () => {
  test('defaults', () => {
    expect(run('t1')).toMatchObject({
      tasks: ['t1'],
      agent: 'oracle',
      verifierMode: 'shared',
      forceBuild: false,
      attempts: 1,
      concurrency: 1,
      outputDir: 'tb2-jobs/2026-01-02-03-04-05',
      claudeCodeVersion: '2.1.328',
    });
  });
  test('every flag', () => {
    expect(
      run(
        'a',
        'b',
        '--agent',
        'command',
        '--agent-command',
        'x',
        '--model',
        'm',
        '--max-turns',
        '5',
        '--output',
        'o',
        '--verifier-mode',
        'isolated',
        '--agent-timeout',
        '1.5',
        '--verifier-timeout',
        '2',
        '--force-build',
        '--network',
        'host',
        '--attempts',
        '3',
        '--concurrency',
        '2',
        '--min-reward',
        '0.5',
      ),
    ).toMatchObject({
      tasks: ['a', 'b'],
      agent: 'command',
      agentCommand: 'x',
      model: 'm',
      maxTurns: 5,
      outputDir: 'o',
      verifierMode: 'isolated',
      agentTimeoutSec: 1.5,
      verifierTimeoutSec: 2,
      forceBuild: true,
      network: 'host',
      attempts: 3,
      concurrency: 2,
      minReward: 0.5,
    });
  });
  test.each([
    [['t', '--agent-timeout', 'abc'], /^--agent-timeout: expected a positive number of seconds \(got "abc"\)$/],
    [['t', '--agent-timeout=-1'], /^--agent-timeout: expected a positive number/],
    [['t', '--verifier-mode', 'both'], /^--verifier-mode: expected "shared" or "isolated"/],
    [['t', '--agent', 'gpt'], /^--agent: expected one of: oracle, command/],
    [['t', '--agent', 'command'], /^--agent-command: required when agent is "command"/],
    [['t', '--attempts', '1.5'], /^--attempts: expected a positive whole number/],
    [['t', '--network', 'a b'], /^--network: expected a Docker network name/],
    [['t', '--bogus'], /Unknown option '--bogus'.*see tb2 --help/],
  ])('%j', (args, re) => expect(() => run(...args)).toThrow(re));
  test('help and version', () => {
    expect(parseCli([]).kind).toBe('help');
    expect(parseCli(['--help']).kind).toBe('help');
    expect(parseCli(['--version']).kind).toBe('version');
    expect(() => parseCli(['frobnicate'])).toThrow(/unknown command "frobnicate"/);
  });
});

describe('one table of settings', () => {
  test('every setting with a flag is in the help, and -o is --output', () => {
    for (const s of Object.values(SETTINGS)) if (s.flag) expect(HELP).toContain(`\n  --${s.flag} `);
    const cmd = parseCli(['run', 't', '-o', 'out']);
    expect(cmd.kind === 'run' && cmd.config.outputDir).toBe('out');
  });
  test('a flag of another command is refused by name', () => {
    expect(() => parseCli(['run', 't', '--shard-size', '2'])).toThrow(/^--shard-size: not an option of tb2 run/);
    expect(() => parseCli(['plan', 't', '--agent', 'oracle'])).toThrow(/^--agent: not an option of tb2 plan/);
  });
});

describe('the regression gate flags', () => {
  test('tb2 run: --baseline, --fail-on-regressions, --regression-alpha (default 0.05)', () => {
    expect(run('t')).toMatchObject({ failOnRegressions: false, regressionAlpha: 0.05 });
    expect(run('t').baseline).toBeUndefined();
    expect(
      run('t', '--baseline', 'main/result.json', '--fail-on-regressions', '--regression-alpha', '0.1'),
    ).toMatchObject({ baseline: 'main/result.json', failOnRegressions: true, regressionAlpha: 0.1 });
    expect(() => run('t', '--regression-alpha', '0')).toThrow(
      '--regression-alpha: expected a number above 0 and below 1, e.g. 0.05 (got "0")',
    );
  });
  test('tb2 aggregate: --regression-alpha, default 0.05, checked the same way', () => {
    expect(parseCli(['aggregate', 'd'])).toMatchObject({ regressionAlpha: 0.05, failOnRegressions: false });
    expect(parseCli(['aggregate', 'd', '--regression-alpha', '.01'])).toMatchObject({ regressionAlpha: 0.01 });
    expect(() => parseCli(['aggregate', 'd', '--regression-alpha', 'x'])).toThrow(
      '--regression-alpha: expected a number above 0 and below 1, e.g. 0.05 (got "x")',
    );
    expect(HELP).toContain('--regression-alpha A');
  });
});
