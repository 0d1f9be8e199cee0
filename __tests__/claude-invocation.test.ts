// Pure parts of the claude-code agent, as tables: platform from the container probe, the
// command line and environment, the price table, tool gists, the cache location.
import { execa } from 'execa';
import { cacheRoot } from '../src/agents/claude/cache.js';
import { toolUseGist } from '../src/agents/claude/gist.js';
import { claudeEnv, claudeScript, shQuote } from '../src/agents/claude/invocation.js';
import { packageOf, platformFromProbe, PROBE_SCRIPT, UnsupportedPlatformError } from '../src/agents/claude/platform.js';
import { estimateCost, priceOf } from '../src/agents/claude/usage.js';

describe('platform from the container probe', () => {
  test.each([
    ['x86_64\n/lib64/ld-linux-x86-64.so.2\n', 'linux-x64'],
    ['x86_64\n/lib/ld-musl-x86_64.so.1\n', 'linux-x64-musl'],
    ['x86_64\n/lib64/ld-linux-x86-64.so.2\n/lib/ld-musl-x86_64.so.1\n', 'linux-x64'],
    ['aarch64\n/lib/ld-linux-aarch64.so.1\n', 'linux-arm64'],
    ['aarch64\n/lib/ld-musl-aarch64.so.1\n', 'linux-arm64-musl'],
    // An x86 loader in an arm64 image does not count.
    ['aarch64\n/lib64/ld-linux-x86-64.so.2\n/lib/ld-musl-aarch64.so.1\n', 'linux-arm64-musl'],
  ])('%j -> %s', (probe, platform) => {
    expect(platformFromProbe(probe)).toBe(platform);
  });

  test('no libc (busybox-static, scratch) is a clear error', () => {
    expect(() => platformFromProbe('x86_64\n')).toThrow(UnsupportedPlatformError);
    expect(() => platformFromProbe('x86_64\n')).toThrow(
      /neither glibc \(\/lib64\/ld-linux-x86-64.so.2\) nor musl \(\/lib\/ld-musl-x86_64.so.1\)/,
    );
    expect(() => platformFromProbe('riscv64\n')).toThrow(/architecture "riscv64" has no Claude Code build/);
  });

  test('the probe script runs in a plain POSIX shell and prints the machine first', async () => {
    const out = (await execa('sh', ['-c', PROBE_SCRIPT])).stdout;
    expect(out.split('\n')[0]).toBe((await execa('uname', ['-m'])).stdout);
    expect(packageOf('linux-arm64-musl')).toBe('@anthropic-ai/claude-code-linux-arm64-musl');
  });
});

describe('command line and environment', () => {
  test.each([
    [
      {},
      `echo $$ > /tmp/.tb2-claude.pid && mkdir -p /logs/agent/sessions && exec '/opt/tb2/claude-code/linux-x64/claude' '-p' '--output-format' 'stream-json' '--verbose' '--dangerously-skip-permissions'`,
    ],
    [
      { model: 'claude-sonnet-4-5', maxTurns: 30 },
      `… '--dangerously-skip-permissions' '--model' 'claude-sonnet-4-5' '--max-turns' '30'`,
    ],
    [{ model: "x'; rm -rf /" }, `… '--dangerously-skip-permissions' '--model' 'x'\\''; rm -rf /'`],
  ])('%j', (extra, expected) => {
    const script = claudeScript({ binPath: '/opt/tb2/claude-code/linux-x64/claude', forwardEnv: {}, ...extra });
    if (expected.startsWith('…')) expect(script.endsWith(expected.slice(2))).toBe(true);
    else expect(script).toBe(expected);
  });

  test('the instruction and secret values never reach the command line', () => {
    const script = claudeScript({ binPath: '/b', model: 'm', forwardEnv: { ANTHROPIC_API_KEY: 'sk-secret' } });
    expect(script).not.toMatch(/sk-secret|ANTHROPIC/);
  });

  test('environment: sandbox flag and config dir always; retries default to 2 unless the caller set them', () => {
    expect(claudeEnv({ ANTHROPIC_API_KEY: 'k' })).toEqual({
      DISABLE_AUTOUPDATER: '1',
      CLAUDE_CODE_MAX_RETRIES: '2',
      ANTHROPIC_API_KEY: 'k',
      IS_SANDBOX: '1',
      CLAUDE_CONFIG_DIR: '/logs/agent/sessions',
    });
    expect(claudeEnv({ CLAUDE_CODE_MAX_RETRIES: '10' }).CLAUDE_CODE_MAX_RETRIES).toBe('10');
    expect(claudeEnv({ IS_SANDBOX: '0', CLAUDE_CONFIG_DIR: '/x' } as Record<string, string>)).toMatchObject({
      IS_SANDBOX: '1',
      CLAUDE_CONFIG_DIR: '/logs/agent/sessions',
    });
  });

  test('shQuote survives sh', async () => {
    const nasty = `a'b"c $(echo no) \\ \``;
    expect((await execa('sh', ['-c', `printf %s ${shQuote(nasty)}`])).stdout).toBe(nasty);
  });
});

describe('price table (estimates when no result line)', () => {
  test.each([
    ['claude-opus-5-5', 4, 20],
    ['claude-opus-4-5-20251101', 5, 25],
    ['claude-opus-4-6', 5, 25],
    ['claude-sonnet-4-5-20250929', 3, 15],
    ['claude-sonnet-5', 2, 10],
    ['claude-haiku-4-5', 1, 5],
    ['claude-3-5-haiku-20241022', 0.8, 4],
    ['some-gateway-model', 4, 20],
    [undefined, 4, 20],
  ])('%s: $%d in / $%d out per million', (model, input, output) => {
    expect(priceOf(model)).toMatchObject({ input, output });
  });

  test('cost adds every kind of token at its own price', () => {
    const u = { input_tokens: 1e6, output_tokens: 1e6, cache_read_input_tokens: 1e6, cache_creation_input_tokens: 1e6 };
    expect(estimateCost(u, 'claude-sonnet-4-5')).toBeCloseTo(3 + 15 + 0.3 + 3.75, 6);
  });
});

test.each([
  ['Bash', { command: 'ls -la\n  /app', description: 'list' }, 'ls -la /app'],
  ['Write', { file_path: '/app/hello.txt', content: 'x'.repeat(1000) }, '/app/hello.txt'],
  ['Grep', { pattern: 'TODO', path: 'src' }, 'TODO in src'],
  ['TodoWrite', { todos: [{}, {}] }, '2 todos'],
  ['mcp__x__y', { a: 1 }, '{"a":1}'],
  ['Bash', null, ''],
])('tool gist %s %j', (name, input, gist) => {
  expect(toolUseGist(name, input)).toBe(gist);
});

test('cache location: TB2_CACHE_DIR, then the runner tool cache, then XDG', () => {
  expect(cacheRoot({ TB2_CACHE_DIR: '/c', RUNNER_TOOL_CACHE: '/t' })).toBe('/c/claude-code');
  expect(cacheRoot({ RUNNER_TOOL_CACHE: '/t', XDG_CACHE_HOME: '/x' })).toBe('/t/tb2-claude-code');
  expect(cacheRoot({ XDG_CACHE_HOME: '/x' })).toBe('/x/tb2/claude-code');
});
