// task.toml inputs of the current format: env templating (Harbor's resolve_env_vars,
// src/harbor/utils/env.py, with the cases of its tests/unit/test_env_resolver.py), MCP servers, and the keys
// Harbor reads that tb2 warns about instead of dropping them.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { claudeMcpConfig } from '../src/agents/claude/mcp-config.js';
import { claudeScript } from '../src/agents/claude/invocation.js';
import { resolveEnvTable, resolveTaskEnv, templateOf, templatedCallerValues } from '../src/task/env-template.js';
import { loadTask } from '../src/task/load.js';
import { taskTomlSchema, toTaskConfig } from '../src/task/schema.js';
import { unsupportedKeyWarnings } from '../src/task/unsupported-keys.js';
import { taskWarnings } from '../src/trial/task-warnings.js';

function makeTask(toml: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tb2-inputs-'));
  const files = {
    'task.toml': `version = "1.0"\n${toml}`,
    'instruction.md': 'Do it.\n',
    'tests/test.sh': '#!/bin/sh\necho 1 > /logs/verifier/reward.txt\n',
    'environment/Dockerfile': 'FROM x\n',
    'solution/solve.sh': '#!/bin/sh\ntrue\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  chmodSync(path.join(dir, 'tests/test.sh'), 0o755);
  return dir;
}

describe('env templates: Harbor resolve_env_vars', () => {
  const caller = {
    SET: 'from-caller',
    EMPTY: '',
    KEY: 'sk-templated-secret-1234',
    SPECIAL: 'value=with=equals&symbols!',
  };
  test.each<[string, string, string]>([
    ['a whole ${VAR}', '${SET}', 'from-caller'],
    ['${VAR:-default}, VAR set', '${SET:-dflt}', 'from-caller'],
    ['${VAR:-default}, VAR unset', '${UNSET:-dflt}', 'dflt'],
    ['set-but-empty wins over the default', '${EMPTY:-dflt}', ''],
    ['an empty default', '${UNSET:-}', ''],
    ['a default holding :- and spaces', '${UNSET:-a:-b c}', 'a:-b c'],
    ['text around a template stays literal', 'pre-${SET}', 'pre-${SET}'],
    ['text after a template stays literal', '${SET}/x', '${SET}/x'],
    ['two templates stay literal', '${SET}${SET}', '${SET}${SET}'],
    ['$VAR without braces stays literal', '$SET', '$SET'],
    ['${VAR:x} (not :-) stays literal', '${SET:x}', '${SET:x}'],
    ['{VAR} stays literal', '{SET}', '{SET}'],
    ['an unclosed ${ stays literal', '${', '${'],
    ['prefix_${VAR}_suffix stays literal', 'prefix_${SET}_suffix', 'prefix_${SET}_suffix'],
    ['special characters of the value are kept', '${SPECIAL}', 'value=with=equals&symbols!'],
    ['a plain value', 'plain', 'plain'],
  ])('%s', (_n, value, expected) => {
    expect(resolveEnvTable({ K: value }, caller, '[environment.env]').env).toEqual({ K: expected });
  });

  test('an unset ${VAR} without a default: one line naming the table, the key and the variable', () => {
    expect(() => resolveEnvTable({ API: '${NOT_SET_ANYWHERE}' }, caller, '[verifier.env]')).toThrow(
      /^task\.toml: \[verifier\.env\] API: "\$\{NOT_SET_ANYWHERE\}" needs NOT_SET_ANYWHERE, which is not set in the caller's environment/,
    );
    try {
      resolveEnvTable({ API: '${NOT_SET_ANYWHERE}' }, caller, '[verifier.env]');
    } catch (err) {
      expect(err).toMatchObject({ kind: 'validation' });
      expect((err as Error).message.split('\n')).toHaveLength(1);
    }
  });

  test('values from the caller are reported as secrets; defaults and literals are not', () => {
    const r = resolveEnvTable({ A: '${KEY}', B: '${UNSET:-dflt}', C: 'lit', D: '${EMPTY}' }, caller, '[x]');
    expect(r.fromCaller).toEqual(['sk-templated-secret-1234', '']);
  });

  test('templateOf', () => {
    expect(templateOf('${A}')).toEqual({ name: 'A' });
    expect(templateOf('${A:-}')).toEqual({ name: 'A', fallback: '' });
    expect(templateOf('${A:-line\nbreak}')).toBeUndefined(); // Python's `.` stops at a newline
    expect(templateOf('${}')).toBeUndefined();
  });

  test('[solution.env] only for the oracle (Harbor resolves it in its oracle agent)', () => {
    const config = { env: {}, verifierEnv: {}, solutionEnv: { S: '${NOT_SET_ANYWHERE}' } };
    expect(resolveTaskEnv(config, {}, false).config.solutionEnv).toEqual({ S: '${NOT_SET_ANYWHERE}' });
    expect(() => resolveTaskEnv(config, {}, true)).toThrow(/\[solution\.env\] S: .*needs NOT_SET_ANYWHERE/);
  });

  test('loadTask resolves the three tables from callerEnv', async () => {
    const dir = makeTask(
      '[environment.env]\nE = "${T_E}"\nL = "x${T_E}"\n[verifier.env]\nV = "${T_V:-dv}"\n[solution.env]\nS = "${T_S}"\n',
    );
    const t = await loadTask(dir, { requireSolution: true, callerEnv: { T_E: 'e1', T_S: 's1' } });
    expect(t.config.env).toEqual({ E: 'e1', L: 'x${T_E}' });
    expect(t.config.verifierEnv).toEqual({ V: 'dv' });
    expect(t.config.solutionEnv).toEqual({ S: 's1' });
    await expect(loadTask(dir, { requireSolution: true, callerEnv: { T_S: 's1' } })).rejects.toThrow(
      /task\.toml: \[environment\.env\] E: "\$\{T_E\}" needs T_E/,
    );
  });

  test('templatedCallerValues: what every task would take from the caller, for the scrubber', async () => {
    const a = makeTask('[environment.env]\nE = "${T_E}"\n[verifier.env]\nV = "${T_V:-dv}"\n');
    const b = makeTask('[solution.env]\nS = "${T_S}"\nN = 5\n');
    // A task.toml that is a FIFO is skipped, never read (the read would block for ever).
    const fifo = mkdtempSync(path.join(tmpdir(), 'tb2-fifo-'));
    execFileSync('mkfifo', [path.join(fifo, 'task.toml')]);
    const values = await templatedCallerValues([a, b, fifo, '/nonexistent-task'], {
      T_E: 'e-secret',
      T_S: 's-secret',
    });
    expect(values.sort()).toEqual(['e-secret', 's-secret']);
  });
});

describe('[[environment.mcp_servers]]', () => {
  const parse = (servers: unknown[]) => taskTomlSchema.safeParse({ environment: { mcp_servers: servers } });
  test('Harbor defaults: transport sse, "http" is streamable-http, args []', () => {
    const p = parse([
      { name: 'docs', url: 'http://127.0.0.1:9/sse' },
      { name: 'web', transport: 'http', url: 'http://127.0.0.1:9/mcp' },
      { name: 'fs', transport: 'stdio', command: 'mcp-fs', args: ['--root', '/app'] },
    ]);
    expect(p.success).toBe(true);
    expect(toTaskConfig(p.data!).mcpServers).toEqual([
      { name: 'docs', transport: 'sse', url: 'http://127.0.0.1:9/sse', args: [] },
      { name: 'web', transport: 'streamable-http', url: 'http://127.0.0.1:9/mcp', args: [] },
      { name: 'fs', transport: 'stdio', command: 'mcp-fs', args: ['--root', '/app'] },
    ]);
  });
  test.each<[string, unknown, RegExp]>([
    ['sse without url', { name: 'a' }, /\[environment\.mcp_servers\.0\] url: required for transport "sse"/],
    ['stdio without command', { name: 'a', transport: 'stdio' }, /command: required for transport "stdio"/],
    ['an unknown transport', { name: 'a', transport: 'ws', url: 'x' }, /transport/],
    ['no name', { url: 'http://x' }, /name/],
  ])('refused: %s', async (_n, server, re) => {
    const toml = `[[environment.mcp_servers]]\n${Object.entries(server as object)
      .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
      .join('\n')}\n`;
    await expect(loadTask(makeTask(toml))).rejects.toThrow(re);
  });
  test("Claude Code's --mcp-config shape", () => {
    const p = parse([
      { name: 'docs', transport: 'sse', url: 'http://h/sse' },
      { name: 'web', transport: 'streamable-http', url: 'http://h/mcp' },
      { name: 'fs', transport: 'stdio', command: 'mcp-fs', args: ['-v'] },
    ]);
    expect(claudeMcpConfig(toTaskConfig(p.data!).mcpServers)).toEqual({
      mcpServers: {
        docs: { type: 'sse', url: 'http://h/sse' },
        web: { type: 'http', url: 'http://h/mcp' },
        fs: { type: 'stdio', command: 'mcp-fs', args: ['-v'] },
      },
    });
  });
  test('claudeScript passes --mcp-config only when given', () => {
    expect(claudeScript({ binPath: '/b', forwardEnv: {} })).not.toContain('--mcp-config');
    expect(claudeScript({ binPath: '/b', forwardEnv: {}, mcpConfig: '/logs/agent/mcp-config.json' })).toContain(
      `'--mcp-config' '/logs/agent/mcp-config.json'`,
    );
  });
});

describe('keys Harbor reads that tb2 does not honour: one warning each', () => {
  const warn = (raw: unknown) => unsupportedKeyWarnings(taskTomlSchema.parse(raw));
  test.each<[string, unknown, RegExp]>([
    [
      '[verifier] collect',
      { verifier: { collect: [{ command: 'dump-db' }] } },
      /\[verifier\] collect is not supported/,
    ],
    ['[environment] gpu_types', { environment: { gpu_types: ['H100'] } }, /\[environment\] gpu_types/],
    ['[environment] tpu', { environment: { tpu: { type: 'v6e', topology: '2x4' } } }, /\[environment\] tpu/],
    ['[environment] skills_dir', { environment: { skills_dir: '/skills' } }, /\[environment\] skills_dir/],
    [
      "a step's [verifier] collect",
      { steps: [{ name: 's1', verifier: { collect: [{ command: 'x' }] } }] },
      /\[\[steps\]\] "s1" \[verifier\] collect is not supported/,
    ],
    ["a step's healthcheck", { steps: [{ name: 's1', healthcheck: { command: 'true' } }] }, /"s1" healthcheck/],
    [
      'artifacts exclude (task or step)',
      {
        artifacts: [{ source: '/app', exclude: ['*.log'] }],
        steps: [{ name: 's1', artifacts: [{ source: '/b', exclude: ['x'] }] }],
      },
      /artifacts exclude is not supported yet/,
    ],
  ])('%s', (_n, raw, re) => {
    const w = warn(raw);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(re);
  });
  test('descriptive keys and empty lists: no warning', () => {
    expect(
      warn({
        task: { name: 'o/n', description: 'd', keywords: ['k'], authors: [{ name: 'a' }] },
        source: 's',
        verifier: { collect: [] },
        metadata: { x: 1 },
      }),
    ).toEqual([]);
  });
  test('a trial records them, and MCP servers an agent without MCP support ignored', () => {
    const p = taskTomlSchema.parse({
      verifier: { collect: [{ command: 'x' }] },
      environment: { mcp_servers: [{ name: 'docs', url: 'http://h' }] },
    });
    const task = { warnings: unsupportedKeyWarnings(p), config: toTaskConfig(p) };
    expect(taskWarnings(task, { name: 'codex' })).toEqual([
      { type: 'UnsupportedTaskSetting', message: expect.stringMatching(/collect/) as string },
      {
        type: 'McpServersIgnored',
        message: 'task.toml: [[environment.mcp_servers]] docs: ignored, the codex agent takes no MCP configuration',
      },
    ]);
    expect(taskWarnings(task, { name: 'claude-code', takesMcpServers: true }).map((w) => w.type)).toEqual([
      'UnsupportedTaskSetting',
    ]);
  });
});
