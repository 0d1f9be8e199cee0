// task.toml inputs of the current format, end to end through the real CLI and real
// containers: env templates resolved from the caller's environment (set, defaulted,
// set-but-empty, literal around a template) and their values scrubbed everywhere as
// secrets; scripts without the exec bit run as Harbor runs them; keys tb2 does not honour
// (and MCP servers an agent ignores) are warned about, never dropped silently.
import { jest } from '@jest/globals';
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { leftovers, runCli, tempDir, trialResults } from './helpers/cli.js';
import { allFiles } from './faults/kit.js';

jest.setTimeout(240_000);

const BUSYBOX = 'tb2-base/busybox:latest';
const BOOKWORM = 'tb2-base/python:bookworm';

function task(files: Record<string, string>, modes: Record<string, number> = {}): string {
  const dir = path.join(tempDir('tb2-inputs-'), 'inputs-task');
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text, { mode: modes[rel] ?? 0o644 });
  }
  return dir;
}

test('env templates take the caller values (set, defaulted, empty); those values are nowhere in files, log or argv', async () => {
  const SECRET = `tb2-templated-${randomBytes(12).toString('hex')}`;
  const dir = task(
    {
      'task.toml': [
        'version = "1.0"',
        '[environment]',
        `docker_image = "${BUSYBOX}"`,
        '[[environment.mcp_servers]]',
        'name = "docs"',
        'url = "http://127.0.0.1:9/sse"',
        '[environment.env]',
        'TASK_TOKEN = "${TB2_ITG_TEMPLATED}"',
        'TASK_MODE = "${TB2_ITG_UNSET_MODE:-fallback-mode}"',
        'TASK_EMPTY = "${TB2_ITG_EMPTY:-not-this}"',
        'TASK_LIT = "pre-${TB2_ITG_TEMPLATED}"',
        '[verifier]',
        'timeout_sec = 30',
        'collect = [{ command = "true" }]',
        '[verifier.env]',
        'V_TOKEN = "${TB2_ITG_TEMPLATED}"',
        '',
      ].join('\n'),
      'instruction.md': 'Look around.\n',
      // The verifier gets the same value twice (container env and [verifier.env]) and prints it.
      'tests/test.sh': [
        '#!/bin/sh',
        'echo "verifier sees $V_TOKEN"',
        'seen=$(cat /app/seen.txt)',
        "want='fallback-mode|pre-${TB2_ITG_TEMPLATED}|[]'",
        'if [ "$seen" = "$want" ] && [ "$V_TOKEN" = "$TASK_TOKEN" ] && [ ${#V_TOKEN} -gt 20 ]; then echo 1; else echo "got [$seen]"; echo 0; fi > /logs/verifier/reward.txt',
        '',
      ].join('\n'),
    },
    { 'tests/test.sh': 0o755 },
  );
  const agent = [
    'env | sort',
    'echo "token=$TASK_TOKEN"',
    'echo "$TASK_TOKEN" > /logs/agent/token.txt',
    'mkdir -p /app && echo "$TASK_MODE|$TASK_LIT|[$TASK_EMPTY]" > /app/seen.txt',
  ].join('; ');
  const seen = new Set<string>();
  const poll = setInterval(() => {
    void execa('ps', ['-eo', 'args'], { reject: false }).then((ps) => {
      for (const line of String(ps.stdout).split('\n')) if (line.includes(SECRET)) seen.add(line);
    });
  }, 100);
  const run = await runCli([dir, '--agent', 'command', '--agent-command', agent], {
    env: { TB2_ITG_TEMPLATED: SECRET, TB2_ITG_EMPTY: '' },
  }).finally(() => clearInterval(poll));
  const [t] = trialResults(run.out);
  expect(t).toMatchObject({ status: 'completed', reward: 1, exception_info: null });
  expect(run.exitCode).toBe(0);
  expect([...seen]).toEqual([]);
  expect(run.stdout + run.stderr).not.toContain(SECRET);
  expect(run.stderr).toContain('token=***');
  const files = allFiles(run.out);
  for (const f of files) {
    expect(path.relative(run.out, f)).not.toContain(SECRET);
    expect(readFileSync(f, 'utf8')).not.toContain(SECRET);
  }
  // The value did reach the agent and the verifier: the scrubbed copies say so.
  const trialDir = path.join(run.out, t.trial_name);
  expect(readFileSync(path.join(trialDir, 'agent', 'command.txt'), 'utf8')).toContain('TASK_TOKEN=***');
  expect(readFileSync(path.join(trialDir, 'agent', 'token.txt'), 'utf8')).toBe('***\n');
  expect(readFileSync(path.join(trialDir, 'verifier', 'test-stdout.txt'), 'utf8')).toContain('verifier sees ***');

  // Keys not honoured: one warning line each, kept in `exceptions`, never exception_info.
  expect(run.stderr.split('\n').filter((l) => /\[verifier\] collect is not supported yet/.test(l))).toHaveLength(1);
  expect(run.stderr).toMatch(/McpServersIgnored: .*\[\[environment\.mcp_servers\]\] docs: ignored, the command agent/);
  expect(t.exceptions.map((x: { exception_type: string }) => x.exception_type).sort()).toEqual([
    'McpServersIgnored',
    'UnsupportedTaskSetting',
  ]);
  expect(await leftovers(run.runId)).toEqual([]);
});

test('test.sh and solve.sh without the exec bit and without a shebang run with bash, as a non-root user too', async () => {
  const dir = task({
    'task.toml': [
      'version = "1.0"',
      '[environment]',
      `docker_image = "${BOOKWORM}"`,
      '[agent]',
      'user = "1000"',
      '[verifier]',
      'timeout_sec = 30',
      'user = "1000"',
      '',
    ].join('\n'),
    'instruction.md': 'Write /tmp/hello.txt.\n',
    // `[[ ]]` and ${BASH_VERSION}: only bash runs these as written (sh would fail them).
    'solution/solve.sh': '[[ -n "$BASH_VERSION" ]] && echo "bash $BASH_VERSION as $(id -u)" > /tmp/hello.txt\n',
    'tests/test.sh':
      'if [[ "$(cat /tmp/hello.txt)" == "bash "*" as 1000" ]]; then echo 1; else echo 0; fi > /logs/verifier/reward.txt\n',
  });
  const run = await runCli([dir, '--agent', 'oracle']);
  const [t] = trialResults(run.out);
  if (t.reward !== 1) console.log(run.stderr);
  expect(t).toMatchObject({ status: 'completed', reward: 1, exception_info: null });
  expect(run.exitCode).toBe(0);
  expect(await leftovers(run.runId)).toEqual([]);
});
