// Inputs -> Config, as the runner passes them (every declared input, "" when unset), and
// action.yml kept honest about where defaults live.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ACTION_INPUTS, actionSettingsFrom, type ActionInput } from '../src/config/action-inputs.js';
import { DEFAULT_CLAUDE_CODE_VERSION } from '../src/config/settings.js';
import { jobPlanFrom, forwardedEnv } from '../src/trial/plan.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const now = new Date('2026-01-02T03:04:05.678Z');
const settings = (given: Partial<Record<ActionInput, string>>) =>
  actionSettingsFrom((n) => given[n] ?? (n === 'matrix' ? 'null' : ''), now);

describe('actionSettingsFrom', () => {
  test('only a task: every default comes from the code', () => {
    const s = settings({ task: 'examples/tasks/hello-world' });
    expect(s.config).toEqual({
      tasks: ['examples/tasks/hello-world'],
      agent: 'oracle',
      outputDir: 'tb2-jobs/2026-01-02-03-04-05',
      verifierMode: 'shared',
      forceBuild: false,
      attempts: 1,
      concurrency: 1,
      resume: false,
      maxRetries: 0,
      agentEnv: [],
      claudeCodeVersion: DEFAULT_CLAUDE_CODE_VERSION,
      failOnRegressions: false,
      regressionAlpha: 0.05,
    });
    expect(s.artifact).toEqual({ upload: true });
    expect(s.prComment).toBe(true);
    expect(s.githubToken).toBeUndefined();
    expect(s.apiKeys).toEqual({});
  });

  test('every input reaches the Config', () => {
    const s = settings({
      task: ' a \n\n b \r\n',
      agent: 'command',
      'agent-command': 'make agent',
      model: 'm',
      'max-turns': '7',
      'claude-code-version': '2.0.1',
      'anthropic-api-key': ' sk-ant-xyz ',
      'openai-api-key': 'sk-openai',
      'gemini-api-key': 'g-key',
      'agent-version': '1.2.3',
      'agent-env': 'MY_TOKEN, OTHER\nTHIRD',
      'verifier-mode': 'isolated',
      'agent-timeout': '30',
      'verifier-timeout': '1.5',
      'force-build': 'True',
      network: 'none',
      attempts: '3',
      concurrency: '2',
      'min-reward': '0.5',
      resume: 'true',
      'max-retries': '2',
      'output-dir': 'out',
      'upload-artifact': 'false',
      'artifact-name': 'mine',
      'retention-days': '5',
      matrix: '{"os":"x"}',
      baseline: 'main-job',
      'fail-on-regressions': 'true',
      'regression-alpha': '0.01',
      'github-token': ' ghs_abc ',
      'pr-comment': 'false',
    });
    expect(s.githubToken).toBe('ghs_abc');
    expect(s.prComment).toBe(false);
    expect(s.config).toEqual({
      tasks: ['a', 'b'],
      agent: 'command',
      agentCommand: 'make agent',
      model: 'm',
      maxTurns: 7,
      claudeCodeVersion: '2.0.1',
      agentVersion: '1.2.3',
      agentEnv: ['MY_TOKEN', 'OTHER', 'THIRD'],
      verifierMode: 'isolated',
      agentTimeoutSec: 30,
      verifierTimeoutSec: 1.5,
      forceBuild: true,
      network: 'none',
      attempts: 3,
      concurrency: 2,
      minReward: 0.5,
      resume: true,
      maxRetries: 2,
      outputDir: 'out',
      baseline: 'main-job',
      failOnRegressions: true,
      regressionAlpha: 0.01,
    });
    expect(s.apiKeys).toEqual({
      ANTHROPIC_API_KEY: 'sk-ant-xyz',
      OPENAI_API_KEY: 'sk-openai',
      GEMINI_API_KEY: 'g-key',
    });
    expect(s.artifact).toEqual({ upload: false, name: 'mine', retentionDays: 5 });
    expect(s.matrix).toBe('{"os":"x"}');
  });

  const bad: Array<[Partial<Record<ActionInput, string>>, string]> = [
    [{ task: '' }, 'task: expected at least one task folder'],
    [{ 'agent-timeout': 'abc' }, 'agent-timeout: expected a positive number of seconds (got "abc")'],
    [{ 'verifier-timeout': '-1' }, 'verifier-timeout: expected a positive number of seconds'],
    [{ 'max-turns': '2.5' }, 'max-turns: expected a positive whole number'],
    [{ agent: 'nope' }, 'agent: expected one of:'],
    [{ agent: 'command' }, 'agent-command: required when agent is "command"'],
    [{ 'verifier-mode': 'both' }, 'verifier-mode: expected "shared" or "isolated"'],
    [{ 'force-build': 'yes' }, 'force-build:'],
    [{ 'min-reward': 'high' }, 'min-reward: expected a number'],
    [{ 'upload-artifact': 'maybe' }, 'upload-artifact: expected true or false (got "maybe")'],
    [{ 'retention-days': '91' }, 'retention-days: expected a whole number of days from 1 to 90 (got "91")'],
    [{ 'artifact-name': 'a/b' }, 'artifact-name: must not contain'],
    [{ 'regression-alpha': '5' }, 'regression-alpha: expected a number above 0 and below 1, e.g. 0.05 (got "5")'],
    [{ 'fail-on-regressions': 'yes' }, 'fail-on-regressions:'],
    [{ 'pr-comment': 'no' }, 'pr-comment: expected true or false (got "no")'],
  ];
  test.each(bad)('%j fails with one line naming the input', (given, message) => {
    expect(() => settings({ task: 'x', ...given })).toThrow(message);
    try {
      settings({ task: 'x', ...given });
    } catch (err) {
      expect((err as Error).message).not.toContain('\n');
      expect((err as Error).name).toBe('UsageError');
    }
  });
});

describe('secrets reach the agent by name, and only the agent variables', () => {
  test('the plan forwards ANTHROPIC_/CLAUDE_CODE_ variables and the input key; nothing of the runner', () => {
    const env = {
      ACTIONS_RUNTIME_TOKEN: 't',
      ACTIONS_RESULTS_URL: 'u',
      GITHUB_TOKEN: 'g',
      INPUT_ANTHROPIC_API_KEY: 'k',
      CLAUDE_CODE_MAX_RETRIES: '1',
      PATH: '/bin',
    };
    const s = settings({ task: 'x', 'anthropic-api-key': 'sk-input' });
    const plan = jobPlanFrom(s.config, 'r', { ...forwardedEnv(env), ...s.apiKeys });
    expect(plan.agent.forwardEnv).toEqual({ CLAUDE_CODE_MAX_RETRIES: '1', ANTHROPIC_API_KEY: 'sk-input' });
  });
});

describe('action.yml', () => {
  const yml = readFileSync(path.join(ROOT, 'action.yml'), 'utf8');
  const section = (name: string) => yml.split(new RegExp(`^${name}:\\n`, 'm'))[1].split(/^\S/m)[0];
  const blocks = (text: string) =>
    Object.fromEntries(
      text
        .split(/^ {2}(?=[a-z-]+:\n)/m)
        .filter((b) => b.trim())
        .map((b) => [b.split(':')[0], b]),
    );

  test('declares exactly the inputs the code reads, each with its default in words', () => {
    const inputs = blocks(section('inputs'));
    expect(Object.keys(inputs).sort()).toEqual([...ACTION_INPUTS].sort());
    for (const [name, block] of Object.entries(inputs)) {
      expect(`${name}: ${block}`).toMatch(name === 'task' ? /Required\./ : /Default: /);
      // Defaults live in the code; only the matrix and github contexts need an expression here.
      expect(/^ {4}default:/m.test(block)).toBe(name === 'matrix' || name === 'github-token');
    }
    expect(inputs.matrix).toContain('default: ${{ toJSON(matrix) }}');
    expect(inputs['github-token']).toContain('default: ${{ github.token }}');
    expect(inputs['claude-code-version']).toContain(`Default: ${DEFAULT_CLAUDE_CODE_VERSION}.`);
    expect(inputs.agent).toContain('Default: oracle.');
  });

  test('declares the outputs the action sets, and runs on node24 with a post step', () => {
    expect(Object.keys(blocks(section('outputs'))).sort()).toEqual([
      'artifact-id',
      'cost-usd',
      'output-dir',
      'passed',
      'result-path',
      'reward',
      'status',
      'tests-passed',
      'tests-total',
      'trials',
    ]);
    expect(section('runs')).toBe('  using: node24\n  main: dist/action.js\n  post: dist/post.js\n');
  });
});
