// Fault suite, secrets: with a recognisable fake key in ANTHROPIC_API_KEY (forwarded to the
// agent by name), an agent that prints its environment, writes the key into files, into a
// file name, into a long line and into what the verifier prints: the key appears in no log
// line, artifact, result, events file, file name or `ps` command line.
import { jest } from '@jest/globals';
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { allFiles, expectNothingLeft, makeTask, results, startCli } from './kit.js';

jest.setTimeout(120_000);

describe('secrets', () => {
  test('the agent prints its environment and spreads the key around: it is nowhere', async () => {
    const KEY = `sk-ant-api03-FAULTSUITE-${randomBytes(12).toString('hex')}`;
    const task = makeTask('fault-secrets', {
      test: '#!/bin/sh\ncat /app/notes.txt\necho 1 > /logs/verifier/reward.txt\n',
    });
    const agent = [
      'env | sort',
      'echo "key=$ANTHROPIC_API_KEY" >&2',
      'mkdir -p /app && echo "my key is $ANTHROPIC_API_KEY" > /app/notes.txt',
      'echo "$ANTHROPIC_API_KEY" > /logs/agent/key.txt',
      'touch "/logs/agent/name-$ANTHROPIC_API_KEY.txt"',
      'head -c 70000 /dev/zero | tr "\\0" a; echo "$ANTHROPIC_API_KEY"',
      'sleep 1',
    ].join('; ');
    const s = startCli([task, '--agent', 'command', '--agent-command', agent], { env: { ANTHROPIC_API_KEY: KEY } });
    // Every command line on the machine while the run lasts (the agent's included).
    const seen = new Set<string>();
    const poll = setInterval(() => {
      void execa('ps', ['-eo', 'args'], { reject: false }).then((ps) => {
        for (const line of String(ps.stdout).split('\n')) if (line.includes(KEY)) seen.add(line);
      });
    }, 100);
    const res = await s.child.finally(() => clearInterval(poll));
    const { trials } = results(s.out);
    expect(trials[0]).toMatchObject({ status: 'completed', reward: 1 });
    expect([...seen]).toEqual([]);
    expect(String(res.stdout)).not.toContain(KEY);
    expect(String(res.stderr)).not.toContain(KEY);
    expect(String(res.stderr)).toContain('key=***');

    const files = allFiles(s.out);
    expect(files.length).toBeGreaterThan(6);
    for (const f of files) {
      expect(path.relative(s.out, f)).not.toContain(KEY);
      expect(readFileSync(f, 'utf8')).not.toContain(KEY);
    }
    const trialDir = path.join(s.out, trials[0].trial_name);
    // The agent did print it: the scrubbed copies prove the test looked at the right files.
    expect(readFileSync(path.join(trialDir, 'agent', 'command.txt'), 'utf8')).toMatch(/ANTHROPIC_API_KEY=\*\*\*/);
    expect(readFileSync(path.join(trialDir, 'verifier', 'test-stdout.txt'), 'utf8')).toContain('my key is ***');
    expect(readdirSync(path.join(trialDir, 'agent')).some((n) => n.startsWith('name-'))).toBe(true);
    await expectNothingLeft(s.runId);
  });
});
