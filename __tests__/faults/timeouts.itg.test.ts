// Fault suite, timeouts: build, agent and verifier timeouts are each honoured within a
// couple of seconds, and after an agent timeout nothing the agent ran keeps changing files
// (the verifier, in the same container, watches the file before it scores).
import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { BUSYBOX, expectNothingLeft, makeTask, results, startCli } from './kit.js';

jest.setTimeout(120_000);

const secs = (p: { started_at: string; finished_at: string }) =>
  (Date.parse(p.finished_at) - Date.parse(p.started_at)) / 1000;
const run = async (args: string[]) => {
  const s = startCli(args);
  const res = await s.child;
  return { ...s, res, ...results(s.out) };
};

// Reward 1 only when /app/ticks exists and does not change over 1.5 s: the agent is stopped.
const STILL = `#!/bin/sh
a=$(wc -c < /app/ticks); sleep 1.5; b=$(wc -c < /app/ticks)
echo "ticks: $a then $b bytes"
if [ "$a" -gt 0 ] && [ "$a" = "$b" ]; then echo 1 > /logs/verifier/reward.txt; else echo 0 > /logs/verifier/reward.txt; fi
`;
const stillTask = makeTask('fault-timeouts', { test: STILL });
const LOOP = 'mkdir -p /app; while :; do echo x >> /app/ticks; sleep 0.05; done';

describe('timeouts', () => {
  test('build timeout: stopped within a couple of seconds, BuildTimeoutError, exit 3, no build container left', async () => {
    const marker = `tb2slow${randomBytes(4).toString('hex')}`;
    const task = makeTask('fault-timeouts-build', {
      toml: 'version = "1.0"\n[environment]\nbuild_timeout_sec = 2\n',
      dockerfile: `FROM ${BUSYBOX}\nRUN echo ${marker} && sleep 60\n`,
    });
    const r = await run([task, '--agent', 'command', '--agent-command', 'true']);
    expect(r.res.exitCode).toBe(3);
    expect(r.trials[0]).toMatchObject({ status: 'error', exception_info: { exception_type: 'BuildTimeoutError' } });
    expect(r.trials[0].exception_info.exception_message).toMatch(/timed out after 2s .*build_timeout_sec/);
    expect(secs(r.trials[0].environment_setup)).toBeLessThan(2 + 4);
    await expectNothingLeft(r.runId, marker);
  });

  test.each([
    ['a foreground loop', LOOP],
    ['a loop that ignores SIGTERM and SIGINT', `trap '' TERM INT HUP; ${LOOP}`],
    ['a loop in a child the agent waits for', `(${LOOP}) & wait`],
    ['a loop in a grandchild behind a pipe', `sh -c '${LOOP}' | cat`],
  ])(
    'agent timeout, %s: agent phase ends within 3 s of the limit, the file stops changing before verification, verification still scores',
    async (_what, cmd) => {
      const r = await run([stillTask, '--agent', 'command', '--agent-command', cmd, '--agent-timeout', '2']);
      const [t] = r.trials;
      expect(t).toMatchObject({
        status: 'completed',
        reward: 1,
        exception_info: { exception_type: 'AgentTimeoutError' },
      });
      expect(secs(t.agent_execution)).toBeGreaterThanOrEqual(2);
      expect(secs(t.agent_execution)).toBeLessThan(2 + 3);
      expect(r.res.exitCode).toBe(0);
      await expectNothingLeft(r.runId);
    },
  );

  test.each([
    ['sleeps', '#!/bin/sh\nsleep 60\necho 1 > /logs/verifier/reward.txt\n'],
    [
      'ignores SIGTERM and leaves a child holding its output',
      "#!/bin/sh\ntrap '' TERM INT\n(while :; do echo tick; sleep 0.2; done) &\nwhile :; do sleep 1; done\n",
    ],
  ])(
    'verifier timeout, test.sh %s: stopped within a couple of seconds, VerifierTimeoutError, exit 1',
    async (_what, test) => {
      const task = makeTask('fault-timeouts-verify', {
        test,
        toml: `version = "1.0"\n[environment]\ndocker_image = "${BUSYBOX}"\n[verifier]\ntimeout_sec = 2\n`,
      });
      const r = await run([task, '--agent', 'command', '--agent-command', 'true']);
      const [t] = r.trials;
      expect(t).toMatchObject({
        status: 'error',
        reward: null,
        exception_info: { exception_type: 'VerifierTimeoutError' },
      });
      expect(secs(t.verifier)).toBeLessThan(2 + 4);
      expect(r.res.exitCode).toBe(1);
      await expectNothingLeft(r.runId);
    },
  );
});
