// Fault suite, bad tasks: a corpus of broken task folders, generated here (FIFOs and
// symlinks cannot be committed portably), each run through the real CLI. Each must give
// one clear line naming the file (and the field), exit 2 (3 for a failing build), a
// result file, and no stack trace.
import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BUSYBOX, expectNothingLeft, makeTask, results, startCli } from './kit.js';

jest.setTimeout(120_000);

const TOML = `version = "1.0"\n[environment]\ndocker_image = "${BUSYBOX}"\n`;
type Breaker = (dir: string) => string | void;
const toml =
  (extra: string): Breaker =>
  (d) =>
    void writeFileSync(path.join(d, 'task.toml'), TOML + extra);
const file =
  (rel: string, text: string, mode = 0o644): Breaker =>
  (d) =>
    void writeFileSync(path.join(d, rel), text, { mode });
const replaceWithDir =
  (rel: string): Breaker =>
  (d) => (rmSync(path.join(d, rel)), void mkdirSync(path.join(d, rel)));
const remove =
  (rel: string): Breaker =>
  (d) =>
    void rmSync(path.join(d, rel), { recursive: true });

// [name, how to break a valid task, expected exit code, what the one line must say]
const corpus: Array<[string, Breaker, number, RegExp]> = [
  ['no such folder', (d) => path.join(d, 'nope'), 2, /nope: not a task folder/],
  [
    'a file, not a folder',
    (d) => (writeFileSync(path.join(d, 'plain'), 'x'), path.join(d, 'plain')),
    2,
    /plain: not a task folder/,
  ],
  ['empty folder', (d) => (mkdirSync(path.join(d, 'empty')), path.join(d, 'empty')), 2, /empty: .*task\.toml: missing/],
  ['task.toml missing', remove('task.toml'), 2, /task\.toml: missing/],
  ['task.toml is a folder', replaceWithDir('task.toml'), 2, /task\.toml: expected a file/],
  [
    'task.toml is a FIFO',
    (d) => (rmSync(path.join(d, 'task.toml')), void execFileSync('mkfifo', [path.join(d, 'task.toml')])),
    2,
    /task\.toml: not a regular file or folder/,
  ],
  [
    'task.toml is a dangling symlink',
    (d) => (rmSync(path.join(d, 'task.toml')), symlinkSync('/nonexistent/task.toml', path.join(d, 'task.toml'))),
    2,
    /task\.toml: dangling symlink/,
  ],
  [
    'task.toml bad TOML',
    file('task.toml', 'version = "1.0"\n[agent\ntimeout_sec = 5\n'),
    2,
    /task\.toml: invalid TOML at line 2/,
  ],
  ['task.toml duplicate key', file('task.toml', 'version = "1.0"\nversion = "1.1"\n'), 2, /task\.toml: invalid TOML/],
  [
    'task.toml too big',
    file('task.toml', `${TOML}# ${'x'.repeat(2 * 1024 * 1024)}\n`),
    2,
    /task\.toml: \d+ bytes, expected at most/,
  ],
  [
    '[agent] timeout_sec a string',
    toml('[agent]\ntimeout_sec = "600"\n'),
    2,
    /task\.toml: \[agent\] timeout_sec: expected number.*got "600"/,
  ],
  [
    '[agent] timeout_sec negative',
    toml('[agent]\ntimeout_sec = -5\n'),
    2,
    /task\.toml: \[agent\] timeout_sec: .*got -5/,
  ],
  [
    '[verifier] timeout_sec zero',
    toml('[verifier]\ntimeout_sec = 0\n'),
    2,
    /task\.toml: \[verifier\] timeout_sec: .*got 0/,
  ],
  ['[verifier] timeout_sec inf', toml('[verifier]\ntimeout_sec = inf\n'), 2, /task\.toml: \[verifier\] timeout_sec/],
  ['[agent] timeout_sec nan', toml('[agent]\ntimeout_sec = nan\n'), 2, /task\.toml: \[agent\] timeout_sec/],
  [
    '[environment] build_timeout_sec negative',
    (d) => void writeFileSync(path.join(d, 'task.toml'), '[environment]\nbuild_timeout_sec = -1\n'),
    2,
    /task\.toml: \[environment\] build_timeout_sec: .*got -1/,
  ],
  [
    '[environment] memory not a size',
    toml('memory = "lots"\n'),
    2,
    /task\.toml: \[environment\] memory: expected a size/,
  ],
  [
    '[environment] memory_mb a string',
    toml('memory_mb = "2048"\n'),
    2,
    /task\.toml: \[environment\] memory_mb: expected number/,
  ],
  ['[environment] cpus negative', toml('cpus = -1\n'), 2, /task\.toml: \[environment\] cpus: .*got -1/],
  [
    '[environment] network_mode unknown',
    toml('network_mode = "internet"\n'),
    2,
    /task\.toml: \[environment\] network_mode: .*"internet"/,
  ],
  [
    '[environment] allow_internet a string',
    toml('allow_internet = "yes"\n'),
    2,
    /task\.toml: \[environment\] allow_internet: expected boolean/,
  ],
  [
    '[environment] docker_image empty',
    (d) => void writeFileSync(path.join(d, 'task.toml'), '[environment]\ndocker_image = ""\n'),
    2,
    /task\.toml: \[environment\] docker_image/,
  ],
  ['[task] name a number', toml('[task]\nname = 5\n'), 2, /task\.toml: \[task\] name: expected string/],
  [
    '[agent] not a table',
    (d) => void writeFileSync(path.join(d, 'task.toml'), `agent = "fast"\n${TOML}`),
    2,
    /task\.toml: agent: expected object/,
  ],
  [
    '[environment.env] ${VAR} the caller did not set',
    toml('[environment.env]\nAPI_KEY = "${TB2_FAULT_NEVER_SET}"\n'),
    2,
    /task\.toml: \[environment\.env\] API_KEY: "\$\{TB2_FAULT_NEVER_SET\}" needs TB2_FAULT_NEVER_SET, which is not set/,
  ],
  [
    '[verifier.env] ${VAR} the caller did not set',
    toml('[verifier.env]\nJUDGE = "${TB2_FAULT_NEVER_SET}"\n'),
    2,
    /task\.toml: \[verifier\.env\] JUDGE: .*needs TB2_FAULT_NEVER_SET/,
  ],
  [
    '[solution.env] ${VAR} the caller did not set (oracle)',
    toml('[solution.env]\nS = "${TB2_FAULT_NEVER_SET}"\n'),
    2,
    /task\.toml: \[solution\.env\] S: .*needs TB2_FAULT_NEVER_SET/,
  ],
  [
    '[[environment.mcp_servers]] stdio without command',
    toml('[[environment.mcp_servers]]\nname = "fs"\ntransport = "stdio"\n'),
    2,
    /task\.toml: \[environment\.mcp_servers\.0\] command: required for transport "stdio"/,
  ],
  ['[verifier.env] value a table', toml('[verifier.env.X]\ny = 1\n'), 2, /task\.toml: \[verifier\.env\] X/],
  ['instruction.md missing', remove('instruction.md'), 2, /instruction\.md: missing/],
  ['instruction.md empty', file('instruction.md', '  \n'), 2, /instruction\.md: empty/],
  [
    'instruction.md huge',
    file('instruction.md', 'x'.repeat(300 * 1024)),
    2,
    /instruction\.md: \d+ bytes, expected at most/,
  ],
  ['instruction.md is a folder', replaceWithDir('instruction.md'), 2, /instruction\.md: expected a file/],
  ['tests/test.sh missing', remove('tests/test.sh'), 2, /tests\/test\.sh: missing/],
  [
    'tests/test.sh with CRLF',
    file('tests/test.sh', '#!/bin/sh\r\necho 1 > /logs/verifier/reward.txt\r\n', 0o755),
    2,
    /tests\/test\.sh: has CRLF line endings/,
  ],
  [
    'tests/test.sh a symlink escaping the folder',
    (d) => (rmSync(path.join(d, 'tests', 'test.sh')), symlinkSync('/bin/sh', path.join(d, 'tests', 'test.sh'))),
    2,
    /tests\/test\.sh: symlink points outside the task folder/,
  ],
  [
    'a symlink escaping the folder in environment/',
    (d) => (mkdirSync(path.join(d, 'environment')), symlinkSync('/etc', path.join(d, 'environment', 'etc'))),
    2,
    /environment\/etc: symlink points outside the task folder/,
  ],
  [
    'a FIFO in tests/',
    (d) => void execFileSync('mkfifo', [path.join(d, 'tests', 'data.fifo')]),
    2,
    /tests\/data\.fifo: not a regular file or folder/,
  ],
  [
    'environment/Dockerfile missing, no docker_image',
    file('task.toml', 'version = "1.0"\n'),
    2,
    /environment\/Dockerfile: missing/,
  ],
  [
    'solution/solve.sh missing for the oracle',
    (d) => void rmSync(path.join(d, 'solution'), { recursive: true }),
    2,
    /solution\/solve\.sh: missing/,
  ],
  [
    'Dockerfile that fails to build',
    (d) => (
      file('task.toml', 'version = "1.0"\n')(d),
      mkdirSync(path.join(d, 'environment')),
      file('environment/Dockerfile', `FROM ${BUSYBOX}\nRUN exit 7\n`)(d)
    ),
    3,
    /ImageBuildError: docker build of environment\/ failed: .*(code: 7|code 7)/,
  ],
  [
    'Dockerfile with an unknown instruction',
    (d) => (
      file('task.toml', 'version = "1.0"\n')(d),
      mkdirSync(path.join(d, 'environment')),
      file('environment/Dockerfile', `FROM ${BUSYBOX}\nFROBNICATE now\n`)(d)
    ),
    3,
    /ImageBuildError: docker build of environment\/ failed: .*(unknown instruction|FROBNICATE)/i,
  ],
  // The current task format (issue 14): multi-step tasks and artifacts.
  [
    'a step folder missing its test.sh',
    (d) => (
      toml('[[steps]]\nname = "one"\n')(d),
      rmSync(path.join(d, 'tests', 'test.sh')),
      mkdirSync(path.join(d, 'steps', 'one'), { recursive: true }),
      file('steps/one/instruction.md', 'Do one.\n')(d)
    ),
    2,
    /steps\/one\/tests\/test\.sh: missing \(the verifier entry point of step "one"/,
  ],
  [
    'a steps entry without a name',
    toml('[[steps]]\nmin_reward = 1\n'),
    2,
    /task\.toml: \[steps\.0\] name: expected a step name/,
  ],
  [
    'a malformed artifacts entry',
    (d) => void writeFileSync(path.join(d, 'task.toml'), `artifacts = [{ destination = "x" }]\n${TOML}`),
    2,
    /task\.toml: \[artifacts\] 0: expected a container path, or a table \{source, destination\}/,
  ],
];

// Not a bad task any more: Harbor runs test.sh and solve.sh with bash whatever their mode
// (an artifact download or a zip loses the exec bit). CRLF stays refused (above).
describe('bad tasks (no longer bad)', () => {
  test('tests/test.sh and solution/solve.sh without the exec bit: they run, reward 1', async () => {
    const task = makeTask('fault-noexec', { solve: '#!/bin/sh\nmkdir -p /app && touch /app/hello.txt\n' });
    chmodSync(path.join(task, 'tests', 'test.sh'), 0o644);
    chmodSync(path.join(task, 'solution', 'solve.sh'), 0o644);
    const s = startCli([task, '--agent', 'oracle']);
    const res = await s.child;
    expect(res.exitCode).toBe(0);
    expect(results(s.out).trials[0]).toMatchObject({ status: 'completed', reward: 1 });
    await expectNothingLeft(s.runId, undefined, 0);
  });
});

describe('bad tasks', () => {
  test.each(corpus)('%s: one clear line, the right exit code, a result file', async (_name, breakIt, code, line) => {
    const task = makeTask('fault-bad', { solve: '#!/bin/sh\ntouch /app/hello.txt\n' });
    const arg = breakIt(task) ?? task;
    const s = startCli([arg, '--agent', 'oracle']);
    const res = await s.child;
    const stderr = String(res.stderr);
    expect(res.exitCode).toBe(code);
    // Exactly one line says what is wrong, naming the file (and the field).
    expect(stderr.split('\n').filter((l) => line.test(l))).toHaveLength(1);
    expect(stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(stderr.length).toBeLessThan(4000);
    const { job, trials } = results(s.out);
    expect(trials).toHaveLength(1);
    expect(trials[0].status).toBe('error');
    expect(trials[0].exception_info.exception_message).toMatch(line.source.includes('Error:') ? /failed/ : line);
    expect(job.counts.error).toBe(1);
    await expectNothingLeft(s.runId, undefined, 0);
  });
});
