// The codex command line, config and environment (pure), and the config script run for
// real in sh: the URL goes from the environment into config.toml without reaching argv.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { codexArgs, codexEnv, codexScript, configLines } from '../src/agents/codex/invocation.js';

test('exec --json, approvals and sandbox bypassed, plugins and shell snapshot off, stdin as prompt', () => {
  expect(codexArgs('gpt-5')).toEqual([
    'exec',
    '--json',
    '--dangerously-bypass-approvals-and-sandbox',
    '--skip-git-repo-check',
    '--disable',
    'plugins',
    '--disable',
    'shell_snapshot',
    '-m',
    'gpt-5',
    '-',
  ]);
  expect(codexArgs('openai/gpt-5-mini')).toContain('gpt-5-mini');
  expect(codexArgs()).not.toContain('-m');
});

test('the environment: forwarded names, CODEX_HOME never the caller’s', () => {
  expect(codexEnv({ OPENAI_API_KEY: 'k', CODEX_HOME: '/logs/agent/x' })).toEqual({
    OPENAI_API_KEY: 'k',
    NO_COLOR: '1',
  });
});

test('the config: a responses provider reading OPENAI_API_KEY, bounded retries, no telemetry', () => {
  const toml = configLines().join('\n');
  expect(toml).toMatch(/^model_provider = "tb2"/);
  expect(toml).toContain('env_key = "OPENAI_API_KEY"');
  expect(toml).toContain('wire_api = "responses"');
  expect(toml).toContain('supports_websockets = false');
  expect(toml).toContain('request_max_retries = 2');
  expect(toml).toContain('check_for_update_on_startup = false');
  expect(toml).toMatch(/\[otel\]\nmetrics_exporter = "none"/);
  expect(toml).toMatch(/\[analytics\]\nenabled = false/);
});

function runScript(env: Record<string, string>) {
  const home = mkdtempSync(path.join(tmpdir(), 'codex-home-'));
  // The binary replaced by a probe that prints its argv and the config it would read.
  const script = codexScript({ command: `sh -c 'echo "argv: $*"; cat "$CODEX_HOME/config.toml"' x` }).replace(
    /\/tmp\/\.tb2-codex/g,
    path.join(home, 'tb2'),
  );
  return execFileSync('sh', ['-c', script], { env: { PATH: process.env.PATH!, HOME: home, ...env }, encoding: 'utf8' });
}

test('the script writes the URL into config.toml with printf; the script text never holds it', () => {
  const url = 'http://127.0.0.1:4567/v1';
  const script = codexScript({ command: "'/opt/tb2/codex/linux-x64/vendor/x/bin/codex'" });
  expect(script).not.toContain('127.0.0.1');
  expect(script).toContain("exec '/opt/tb2/codex/linux-x64/vendor/x/bin/codex' 'exec' '--json'");
  const out = runScript({ OPENAI_BASE_URL: url });
  expect(out).toContain(`base_url = "${url}"`);
  expect(out).toContain('argv: exec --json');
  expect(out).not.toMatch(/argv:.*127\.0\.0\.1/);
  expect(runScript({})).toContain('base_url = "https://api.openai.com/v1"');
});

test('a URL that would break the TOML is refused', () => {
  expect(() => runScript({ OPENAI_BASE_URL: 'http://x/"v1' })).toThrow();
});
