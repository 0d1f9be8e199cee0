// The task's environment settings honoured against real Docker (issue 11): workdir, the
// user of each phase, the healthcheck, and the settings refused with one clear line.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BUSYBOX, expectNothingLeft, makeTask, results } from './faults/kit.js';
import { runCli } from './helpers/cli.js';

const head = `schema_version = "1.1"\n[environment]\ndocker_image = "${BUSYBOX}"\nmemory_mb = 256\n`;
const tomlOf = (extra: string) => `${head}${extra}\n[verifier]\ntimeout_sec = 30\n`;
const REWARD_1 = '#!/bin/sh\necho 1 > /logs/verifier/reward.txt\n';

test('[environment] workdir is the cwd of the agent, solve.sh and test.sh, whatever the image WORKDIR', async () => {
  const task = makeTask('settings-workdir', {
    toml: tomlOf('workdir = "/work/app"'),
    solve: '#!/bin/sh\npwd > /logs/agent/solve-cwd.txt\n',
    test: '#!/bin/sh\n[ "$(pwd)" = /work/app ] && echo 1 > /logs/verifier/reward.txt || echo 0 > /logs/verifier/reward.txt\n',
  });
  const oracle = await runCli([task, '--agent', 'oracle']);
  expect(oracle.exitCode).toBe(0);
  const [t] = results(oracle.out).trials;
  expect(t).toMatchObject({ status: 'completed', reward: 1 });
  expect(readFileSync(path.join(oracle.out, t.trial_name, 'agent', 'solve-cwd.txt'), 'utf8').trim()).toBe('/work/app');
  const cmd = await runCli([task, '--agent', 'command', '--agent-command', 'pwd > /logs/agent/cwd.txt']);
  const [c] = results(cmd.out).trials;
  expect(readFileSync(path.join(cmd.out, c.trial_name, 'agent', 'cwd.txt'), 'utf8').trim()).toBe('/work/app');
  await expectNothingLeft(cmd.runId);
});

test('[agent] user and [verifier] user: each phase runs as its user (a name, a uid); the log folders stay writable', async () => {
  const task = makeTask('settings-users', {
    dockerfile: `FROM ${BUSYBOX}\nRUN echo 'tester:x:2000:2000::/tmp:/bin/sh' >> /etc/passwd\n`,
    toml: 'schema_version = "1.1"\n[agent]\nuser = "tester"\n[verifier]\ntimeout_sec = 30\nuser = 65534\n',
    test: '#!/bin/sh\nid -u > /logs/verifier/uid.txt\necho 1 > /logs/verifier/reward.txt\n',
  });
  const r = await runCli([task, '--agent', 'command', '--agent-command', 'id -u > /logs/agent/uid.txt']);
  expect(r.exitCode).toBe(0);
  const [t] = results(r.out).trials;
  expect(t).toMatchObject({ status: 'completed', reward: 1 });
  const dir = path.join(r.out, t.trial_name);
  expect(readFileSync(path.join(dir, 'agent', 'uid.txt'), 'utf8').trim()).toBe('2000');
  expect(readFileSync(path.join(dir, 'verifier', 'uid.txt'), 'utf8').trim()).toBe('65534');
  await expectNothingLeft(r.runId);
});

test('a healthcheck that passes on its second try lets the trial run', async () => {
  const task = makeTask('settings-health-ok', {
    toml: tomlOf(
      '[environment.healthcheck]\ncommand = "[ -f /tmp/hc ] || { touch /tmp/hc; exit 1; }"\ninterval_sec = 0.2',
    ),
    test: REWARD_1,
  });
  const r = await runCli([task, '--agent', 'command', '--agent-command', 'true']);
  expect(r.exitCode).toBe(0);
  expect(r.stderr).toMatch(/healthcheck passed \(attempt 2\)/);
  await expectNothingLeft(r.runId);
});

test('a healthcheck that never passes: HealthcheckError, exit 3, no agent and no verifier, nothing left', async () => {
  const task = makeTask('settings-health-bad', {
    toml: tomlOf('[environment.healthcheck]\ncommand = "echo db not ready; exit 3"\ninterval_sec = 0.1\nretries = 2'),
    test: REWARD_1,
  });
  const r = await runCli([task, '--agent', 'command', '--agent-command', 'touch /logs/agent/ran']);
  expect(r.exitCode).toBe(3);
  const [t] = results(r.out).trials;
  expect(t).toMatchObject({ status: 'error', verifier_result: null, agent_execution: null, verifier: null });
  expect(t.exception_info).toMatchObject({ exception_type: 'HealthcheckError', kind: 'infra' });
  expect(t.exception_info.exception_message).toMatch(/failed 2 time\(s\) in a row .*exit 3: db not ready/);
  expect(r.stderr).toMatch(/HealthcheckError/);
  await expectNothingLeft(r.runId);
});

test.each([
  ['os = "windows"', /\[environment\] os: "windows" is not supported/],
  ['network_mode = "allowlist"', /\[environment\] network_mode: "allowlist" is not supported yet/],
])('%s is refused with one line, a result file and exit 2', async (setting, line) => {
  const task = makeTask(`settings-refused-${setting.split(' ')[0]}`, { toml: tomlOf(setting), test: REWARD_1 });
  const r = await runCli([task, '--agent', 'oracle']);
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toMatch(line);
  expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  const [t] = results(r.out).trials;
  expect(t).toMatchObject({ status: 'error', exception_info: { exception_type: 'TaskValidationError' } });
});
