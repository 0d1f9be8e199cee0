// Fault suite through the action entry (dist/action.js, dist/post.js) run as GitHub runs
// it: cancellation at each phase (the post step must find nothing left) and an agent
// printing workflow commands (the log renderer neutralises them).
import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ACTION, actionEnv, finish, runAction, runPost, startAction } from '../helpers/action.js';
import { BUSYBOX, expectNothingLeft, makeTask, results, sleep } from './kit.js';

jest.setTimeout(120_000);

const agentTask = makeTask('fault-action');
const verifierTask = makeTask('fault-action-verify', {
  test: '#!/bin/sh\nsleep 30\necho 1 > /logs/verifier/reward.txt\n',
});
const outDir = () => path.join(mkdtempSync(path.join(tmpdir(), 'tb2-out-')), 'job');

/** Our own workflow commands; any other line starting with :: came from the agent. */
const OURS =
  /^::(group::|endgroup::$|error title=|warning title=|warning::|error::|notice|add-mask::|stop-commands::tb2-[0-9a-f]{32}$|tb2-[0-9a-f]{32}::$|debug::)/;

describe('cancellation (action entry)', () => {
  test.each([
    [
      'building',
      'SIGINT',
      () => {
        const marker = `tb2act${randomBytes(4).toString('hex')}`;
        return {
          task: makeTask('fault-action-build', { dockerfile: `FROM ${BUSYBOX}\nRUN echo ${marker} && sleep 30\n` }),
          cmd: 'true',
          at: new RegExp(marker),
          marker,
        };
      },
    ],
    [
      'agent running',
      'SIGINT',
      () => ({ task: agentTask, cmd: 'sleep 300', at: /· agent \(command\)\n/, marker: undefined }),
    ],
    [
      'agent running',
      'SIGTERM',
      () => ({ task: agentTask, cmd: 'sleep 300', at: /· agent \(command\)\n/, marker: undefined }),
    ],
    ['verifier running', 'SIGTERM', () => ({ task: verifierTask, cmd: 'true', at: /· verifier\n/, marker: undefined })],
  ] as const)(
    '%s, %s: the step ends within 5 s, a cancelled result, the post step finds nothing',
    async (_phase, signal, make) => {
      const { task, cmd, at, marker } = make();
      const out = outDir();
      const { env, files } = actionEnv({
        task,
        agent: 'command',
        'agent-command': cmd,
        'output-dir': out,
        'upload-artifact': 'false',
      });
      const child = startAction(ACTION, env, files.dir);
      let seen = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (c: Buffer) => {
          seen += c.toString();
          if (at.test(seen)) resolve();
        });
        void child.then(() => reject(new Error(`exited before ${at}:\n${seen}`)));
      });
      await sleep(300);
      const sent = Date.now();
      child.kill(signal);
      const run = await finish(child, files);
      expect(Date.now() - sent).toBeLessThan(5000);
      expect(run.outputs.status).toBe('cancelled');
      expect(results(out).trials[0].status).toBe('cancelled');
      const runId = run.state['run-id'];
      await expectNothingLeft(runId, marker);
      const post = await runPost(run, env);
      expect(post.stdout).toContain(`nothing left to clean for run ${runId}`);
    },
  );
});

describe('hostile agents and verifiers (action entry)', () => {
  test('an agent printing workflow commands in every disguise: none reaches the runner', async () => {
    const lines = [
      '::add-mask::x',
      '::set-output name=reward::1',
      '::save-state name=run-id::other',
      '::stop-commands::agenttoken',
      '::error file=a,line=1::pwned',
      '  ::endgroup::',
      '\t::group::fake',
      '##[error]legacy',
      '::agenttoken::',
      '%0A::warning::x',
    ];
    const cmd = `${lines.map((l) => `printf '%s\\n' '${l}'`).join('; ')}; printf '::notice::no newline'; touch /app/hello.txt 2>/dev/null; mkdir -p /app && touch /app/hello.txt`;
    const run = await runAction({
      task: agentTask,
      agent: 'command',
      'agent-command': cmd,
      'output-dir': outDir(),
      'upload-artifact': 'false',
    });
    expect(run.outputs).toMatchObject({ status: 'completed', reward: '1' });
    expect(run.state['run-id']).not.toBe('other');
    for (const line of run.stdout.split('\n')) {
      if (line.trimStart().startsWith('::')) expect(line).toMatch(OURS);
      expect(line).not.toContain('##[');
    }
    expect(run.stdout).toContain('│ ::set-output name=reward::1'); // shown, but never at a line start
  });
});
