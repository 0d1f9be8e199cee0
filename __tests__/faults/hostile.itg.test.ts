// Fault suite, hostile or broken agents and verifiers: floods of output (memory stays
// bounded, the log and the artifact are capped with a note), binary output, one huge line,
// a verifier's background child holding its output, garbage rewards, an agent writing
// into /logs/verifier, workflow commands, a fork bomb and a memory hog.
import { jest } from '@jest/globals';
import { execa } from 'execa';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { MAX_LOGGED_OUTPUT_BYTES } from '../../src/trial/plan.js';
import { BUSYBOX, expectNothingLeft, makeTask, results, startCli, TEST_REWARD_1 } from './kit.js';

/** After its head a cut log keeps its last line and one still being written (log-cap.ts keptTail), then the note; writes racing the cut add a little. */
const KEPT_AFTER_CUT = 4096;

jest.setTimeout(180_000);

const SOAK = process.env.TB2_SOAK === '1';
const task = makeTask('fault-hostile');
const CAP_NOTE = /\n\[tb2: output cut at \d+ bytes; at least \d+ more bytes were dropped\]\n$/;

/** Run the CLI, sampling its peak resident memory (VmHWM) while it runs. */
async function runMeasured(args: string[]) {
  const s = startCli(args);
  let peakKb = 0;
  const timer = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${s.child.pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      /* exited */
    }
  }, 100);
  const res = await s.child.finally(() => clearInterval(timer));
  return { ...s, res, peakMb: peakKb / 1024, ...results(s.out) };
}

const agentLog = (out: string, t: { trial_name: string }) => path.join(out, t.trial_name, 'agent', 'command.txt');
const events = (out: string, t: { trial_name: string }) =>
  readFileSync(path.join(out, t.trial_name, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('hostile agents and verifiers', () => {
  const GB = SOAK ? 1024 : 256;
  test(`${GB} MB of agent output: memory bounded, log and events truncated with a note, artifact capped with a note`, async () => {
    const line = 'y'.repeat(999);
    const r = await runMeasured([
      task,
      '--agent',
      'command',
      '--agent-command',
      `yes ${line} | head -c ${GB * 1024 * 1024}`,
    ]);
    const [t] = r.trials;
    expect(t.status).toBe('completed');
    expect(r.peakMb).toBeLessThan(400);
    expect(String(r.res.stderr)).toContain('… (more agent output in the trial folder)');
    const size = statSync(agentLog(r.out, t)).size;
    expect(size).toBeGreaterThanOrEqual(MAX_LOGGED_OUTPUT_BYTES);
    expect(size).toBeLessThan(MAX_LOGGED_OUTPUT_BYTES + KEPT_AFTER_CUT);
    expect(readFileSync(agentLog(r.out, t), 'utf8').slice(-200)).toMatch(CAP_NOTE);
    const ev = events(r.out, t);
    expect(ev.some((e) => e.type === 'output_truncated')).toBe(true);
    await expectNothingLeft(r.runId);
  });

  test('a background child flooding its log after the agent exits: the artifact stays capped', async () => {
    const r = await runMeasured([
      makeTask('fault-hostile-bg', { test: '#!/bin/sh\nsleep 3\necho 1 > /logs/verifier/reward.txt\n' }),
      '--agent',
      'command',
      '--agent-command',
      `(yes ${'z'.repeat(199)} &) ; echo started`,
    ]);
    const [t] = r.trials;
    expect(t).toMatchObject({ status: 'completed', reward: 1 });
    const size = statSync(agentLog(r.out, t)).size;
    expect(size).toBeLessThan(MAX_LOGGED_OUTPUT_BYTES + KEPT_AFTER_CUT);
    expect(readFileSync(agentLog(r.out, t), 'utf8').slice(-200)).toMatch(CAP_NOTE);
    expect(r.peakMb).toBeLessThan(400);
    await expectNothingLeft(r.runId);
  });

  test.each([
    ['binary and invalid UTF-8', 'head -c 3000000 /dev/urandom; printf "\\377\\376 bad \\300\\200 utf8\\n"'],
    ['a single 100 MB line', "yes x | tr -d '\\n' | head -c 100000000"],
  ])('%s: the run completes, events.jsonl stays valid JSON lines, memory bounded', async (_what, cmd) => {
    const r = await runMeasured([task, '--agent', 'command', '--agent-command', cmd]);
    const [t] = r.trials;
    expect(t.status).toBe('completed');
    expect(() => events(r.out, t)).not.toThrow();
    expect(events(r.out, t).at(-1).type).toBe('run_complete');
    expect(r.peakMb).toBeLessThan(400);
    expect(String(r.res.stderr)).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });

  test('a verifier that leaves a background process holding its stdout does not hang', async () => {
    const bg = makeTask('fault-hostile-verifier-bg', {
      test: '#!/bin/sh\n(while :; do echo tick; sleep 0.2; done) &\nsleep 100000 > /dev/stdout 2>&1 &\necho 1 > /logs/verifier/reward.txt\n',
    });
    const r = await runMeasured([bg, '--agent', 'command', '--agent-command', 'true']);
    const [t] = r.trials;
    expect(t).toMatchObject({ status: 'completed', reward: 1 });
    expect((Date.parse(t.verifier.finished_at) - Date.parse(t.verifier.started_at)) / 1000).toBeLessThan(10);
    await expectNothingLeft(r.runId);
  });

  test.each([
    ['reward.txt with garbage', 'echo "all good!" > /logs/verifier/reward.txt', 'RewardFileParseError'],
    ['reward.txt with NaN', 'echo NaN > /logs/verifier/reward.txt', 'RewardFileParseError'],
    ['reward.txt with Infinity', 'echo Infinity > /logs/verifier/reward.txt', 'RewardFileParseError'],
    ['reward.txt empty', ': > /logs/verifier/reward.txt', 'RewardFileEmptyError'],
    ['reward.txt binary', 'head -c 5000 /dev/urandom > /logs/verifier/reward.txt', 'RewardFileParseError'],
    ['reward.json with NaN', 'echo \'{"reward": NaN}\' > /logs/verifier/reward.json', 'RewardFileParseError'],
    ['reward.json with a string', 'echo \'{"reward": "1"}\' > /logs/verifier/reward.json', 'RewardFileParseError'],
    ['no reward file at all', 'echo "forgot the reward"', 'RewardFileNotFoundError'],
  ])('a verifier writing %s: a recorded trial error naming it, exit 1', async (_what, body, type) => {
    const t2 = makeTask('fault-hostile-reward', { test: `#!/bin/sh\n${body}\n` });
    const r = await runMeasured([t2, '--agent', 'command', '--agent-command', 'true']);
    expect(r.res.exitCode).toBe(1);
    expect(r.trials[0]).toMatchObject({ status: 'error', reward: null, exception_info: { exception_type: type } });
    expect(r.trials[0].exception_info.exception_message).toMatch(/reward/);
  });

  test.each([
    [
      'shared',
      'echo 1 > /logs/verifier/reward.txt; echo \'{"reward": 1}\' > /logs/verifier/reward.json; mkdir /logs/verifier/ctrf.json',
    ],
    ['isolated', '(while :; do echo 1 > /logs/verifier/reward.txt; sleep 0.05; done &) ; true'],
  ])('an agent writing into /logs/verifier (%s mode) is ignored', async (mode, cmd) => {
    const t2 = makeTask('fault-hostile-prewrite', {
      test: '#!/bin/sh\nsleep 1\ncat /logs/verifier/reward.txt 2>/dev/null || echo 0 > /logs/verifier/reward.txt\n',
    });
    const r = await runMeasured([t2, '--agent', 'command', '--agent-command', cmd, '--verifier-mode', mode]);
    expect(r.trials[0]).toMatchObject({ status: 'completed', reward: 0 });
    await expectNothingLeft(r.runId);
  });

  // Soak only: on cgroup v1 with runc 1.1 (this machine) Docker itself can take minutes to
  // kill a container whose processes keep forking, and once left a removal stuck for good
  // (docs/RELIABILITY.md, known limits). The runner's part is tested: the record, the
  // restart before verification; the engine's part is not ours to fix.
  (SOAK ? test : test.skip)(
    'a fork bomb: contained by the pids limit, the run ends with a clear record, the engine stays healthy',
    async () => {
      const bomb = makeTask('fault-hostile-bomb', {
        test: TEST_REWARD_1,
        toml: `version = "1.0"\n[environment]\ndocker_image = "${BUSYBOX}"\nmemory = "256M"\n[verifier]\ntimeout_sec = 20\n`,
      });
      const started = Date.now();
      const r = await runMeasured([
        bomb,
        '--agent',
        'command',
        '--agent-command',
        'b() { b | b & }; b; sleep 60',
        '--agent-timeout',
        '4',
      ]);
      expect(Date.now() - started).toBeLessThan(90_000);
      const [t] = r.trials;
      // Out of pids or out of memory (its init killed), whichever the bomb reaches first:
      // the agent's failure is recorded and the container restarted before the verifier.
      expect(t.exceptions[0].exception_type).toMatch(/^(AgentTimeoutError|NonZeroAgentExitCodeError)$/);
      expect(t).toMatchObject({ status: 'completed', reward: 1 });
      await expectNothingLeft(r.runId);
      const probe = await execa('docker', ['run', '--rm', BUSYBOX, 'echo', 'healthy'], { timeout: 30_000 });
      expect(String(probe.stdout)).toBe('healthy');
    },
  );

  test('a memory hog: killed inside the task memory limit, recorded, verification still runs', async () => {
    const hog = makeTask('fault-hostile-hog', {
      test: TEST_REWARD_1,
      toml: `version = "1.0"\n[environment]\ndocker_image = "${BUSYBOX}"\nmemory = "64M"\n`,
    });
    const r = await runMeasured([
      hog,
      '--agent',
      'command',
      '--agent-command',
      'head -c 400000000 /dev/zero | tail -c 300000000 > /dev/null',
    ]);
    const [t] = r.trials;
    expect(t).toMatchObject({
      status: 'completed',
      reward: 1,
      exception_info: { exception_type: 'NonZeroAgentExitCodeError' },
    });
    expect(t.exception_info.exception_message).toMatch(/code 137/);
    await expectNothingLeft(r.runId);
  });
});
