// The opencode command line, environment and build choice (pure), and the script run for
// real in sh: its state and config go into a folder of its own, the plugin install is
// pre-empted, ANTHROPIC_BASE_URL gets opencode's /v1, and no value reaches argv.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCli } from '../src/config/cli-args.js';
import { platformFromProbe } from '../src/agents/npm/platform.js';
import {
  buildFor,
  opencodeArgs,
  opencodeEnv,
  opencodeScript,
  prefixesFor,
  providerOf,
} from '../src/agents/opencode/invocation.js';

test('run --format json, every permission approved, no plugins, reasoning shown, a title given, errors on stderr', () => {
  expect(opencodeArgs('openai/gpt-5')).toEqual([
    'run',
    '--format',
    'json',
    '--auto',
    '--pure',
    '--thinking',
    '--title',
    'tb2',
    '--print-logs',
    '--log-level',
    'ERROR',
    '-m',
    'openai/gpt-5',
  ]);
  expect(opencodeArgs()).not.toContain('-m');
});

test.each([
  [{ arch: 'x64', libc: 'glibc', avx2: true }, 'opencode-linux-x64', 'linux-x64'],
  [{ arch: 'x64', libc: 'glibc', avx2: false }, 'opencode-linux-x64-baseline', 'linux-x64-baseline'],
  [{ arch: 'x64', libc: 'musl', avx2: true }, 'opencode-linux-x64-musl', 'linux-x64-musl'],
  [{ arch: 'x64', libc: 'musl', avx2: false }, 'opencode-linux-x64-baseline-musl', 'linux-x64-baseline-musl'],
  [{ arch: 'arm64', libc: 'glibc' }, 'opencode-linux-arm64', 'linux-arm64'],
  [{ arch: 'arm64', libc: 'musl' }, 'opencode-linux-arm64-musl', 'linux-arm64-musl'],
] as const)('platform %j -> %s', (p, pkg, tag) => {
  expect(buildFor(p, '1.18.34')).toEqual({
    pkg,
    version: '1.18.34',
    paths: ['bin/opencode'],
    entry: 'bin/opencode',
    tag,
  });
});

test('the probe reads AVX2 on x64 only', () => {
  const loader = '/lib64/ld-linux-x86-64.so.2';
  expect(platformFromProbe(`x86_64\n${loader}\navx2\n`, 'opencode')).toEqual({
    arch: 'x64',
    libc: 'glibc',
    avx2: true,
  });
  expect(platformFromProbe(`x86_64\n${loader}\n`, 'opencode')).toEqual({ arch: 'x64', libc: 'glibc', avx2: false });
  expect(platformFromProbe('aarch64\n/lib/ld-musl-aarch64.so.1\n', 'opencode')).toEqual({
    arch: 'arm64',
    libc: 'musl',
  });
});

test('variables: the model provider’s own and OPENCODE_*, never another provider’s; state folders never the caller’s', () => {
  expect(providerOf('openai/gpt-5')).toBe('openai');
  expect(providerOf('openrouter/qwen/qwen3-coder')).toBe('openrouter');
  expect(providerOf(undefined)).toBeUndefined();
  expect(prefixesFor('openai')).toEqual(['OPENAI_', 'OPENCODE_']);
  expect(prefixesFor('anthropic')).toEqual(['ANTHROPIC_', 'OPENCODE_']);
  expect(prefixesFor('google')).toEqual(['GOOGLE_', 'GEMINI_', 'OPENCODE_']);
  expect(prefixesFor('openrouter')).toEqual(['OPENROUTER_', 'OPENCODE_']);
  expect(prefixesFor(undefined)).toEqual(['OPENAI_', 'ANTHROPIC_', 'OPENCODE_']);
  expect(opencodeEnv({ OPENAI_API_KEY: 'k', OPENCODE_DB: '/logs/agent/x.db', OPENCODE_CONFIG_DIR: '/x' })).toEqual({
    OPENAI_API_KEY: 'k',
    OPENCODE_DISABLE_AUTOUPDATE: '1',
    OPENCODE_DISABLE_MODELS_FETCH: '1',
    OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
    OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
    OPENCODE_DISABLE_SHARE: '1',
    NO_COLOR: '1',
  });
});

function runScript(env: Record<string, string>) {
  const home = mkdtempSync(path.join(tmpdir(), 'opencode-home-'));
  // The binary replaced by a probe that prints its argv and what it would read.
  const probe = `sh -c 'echo "argv: $*"; echo "cfg: $XDG_CONFIG_HOME data: $XDG_DATA_HOME"; echo "anthropic: $ANTHROPIC_BASE_URL"' x`;
  const out = execFileSync(
    'sh',
    ['-c', opencodeScript(probe, 'openai/gpt-5').replace(/\/tmp\/\.tb2-opencode/g, path.join(home, 'tmp'))],
    {
      env: { PATH: process.env.PATH!, HOME: home, ...env },
      encoding: 'utf8',
    },
  );
  return { out, home };
}

test('the script: its own state folders, the plugin install pre-empted, argv without any value', () => {
  const script = opencodeScript("'/opt/tb2/opencode/linux-x64/bin/opencode'", 'openai/gpt-5');
  expect(script).toContain("exec '/opt/tb2/opencode/linux-x64/bin/opencode' 'run' '--format' 'json'");
  const { out, home } = runScript({ OPENAI_BASE_URL: 'http://127.0.0.1:4567/v1' });
  expect(out).toContain(`cfg: ${home}/.tb2-opencode/config data: ${home}/.tb2-opencode/data`);
  expect(out).toMatch(/argv: run --format json --auto --pure .* -m openai\/gpt-5\n/);
  expect(out).not.toContain('127.0.0.1');
  const cfg = path.join(home, '.tb2-opencode', 'config', 'opencode');
  expect(JSON.parse(readFileSync(path.join(cfg, 'package.json'), 'utf8'))).toEqual({
    dependencies: { '@opencode-ai/plugin': '*' },
  });
  expect(JSON.parse(readFileSync(path.join(cfg, 'package-lock.json'), 'utf8')).packages[''].dependencies).toEqual({
    '@opencode-ai/plugin': '*',
  });
});

test.each([
  ['http://127.0.0.1:9000', 'http://127.0.0.1:9000/v1'],
  ['http://127.0.0.1:9000/', 'http://127.0.0.1:9000/v1'],
  ['https://gw.example/anthropic/v1', 'https://gw.example/anthropic/v1'],
  ['', ''],
])('ANTHROPIC_BASE_URL %j reaches opencode as %j', (given, seen) => {
  expect(runScript(given ? { ANTHROPIC_BASE_URL: given } : {}).out).toContain(`anthropic: ${seen}\n`);
});

test('a model without its provider is refused before any trial, naming the form', () => {
  const run = (...a: string[]) => parseCli(['run', 't', '--agent', 'opencode', ...a]);
  expect(() => run('--model', 'gpt-5')).toThrow(/^--model: opencode takes provider\/model \(e\.g\. openai\/gpt-5/);
  expect(run('--model', 'openai/gpt-5')).toMatchObject({ config: { model: 'openai/gpt-5' } });
  expect(run()).toMatchObject({ kind: 'run' });
  // Other agents keep their own model names.
  expect(parseCli(['run', 't', '--agent', 'codex', '--model', 'gpt-5'])).toMatchObject({ config: { model: 'gpt-5' } });
});
