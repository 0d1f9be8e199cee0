// Fault suite, concurrency: 8 trials of the same task at once, and two CLI processes
// building the same fresh environment at the same time. No collisions (names, folders,
// logs, image tags), every result written, nothing left.
import { jest } from '@jest/globals';
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BUSYBOX, expectNothingLeft, makeTask, results, startCli } from './kit.js';

jest.setTimeout(180_000);

// Each agent writes its own trial's id (the container's hostname) into its log and /app.
const AGENT = 'mkdir -p /app && hostname > /app/hello.txt && echo "I am $(hostname)"; sleep 1';

function expectAllDistinct(out: string, trials: any[]): void {
  expect(new Set(trials.map((t) => t.trial_name)).size).toBe(trials.length);
  const hosts = trials.map((t) => readFileSync(path.join(out, t.trial_name, 'agent', 'command.txt'), 'utf8').trim());
  for (const h of hosts) expect(h).toMatch(/^I am [0-9a-f]{12}$/);
  expect(new Set(hosts).size).toBe(trials.length);
}

describe('concurrency', () => {
  test('8 trials at once of the same task: 8 distinct results, no leftovers', async () => {
    const task = makeTask('fault-concurrency');
    const s = startCli([task, '--agent', 'command', '--agent-command', AGENT, '--attempts', '8', '--concurrency', '8']);
    const res = await s.child;
    expect(res.exitCode).toBe(0);
    const { job, trials } = results(s.out);
    expect(trials).toHaveLength(8);
    expect(job.counts).toMatchObject({ completed: 8, error: 0, cancelled: 0 });
    expect(trials.every((t) => t.reward === 1)).toBe(true);
    expectAllDistinct(s.out, trials);
    await expectNothingLeft(s.runId);
  });

  test('two processes, 4 trials each, building the same fresh environment at once: one tag, 8 results', async () => {
    const marker = randomBytes(4).toString('hex');
    const dockerfile = `FROM ${BUSYBOX}\nRUN echo ${marker} > /marker && sleep 1\nWORKDIR /app\n`;
    const tasks = [
      makeTask('fault-concurrency-build', { dockerfile }),
      makeTask('fault-concurrency-build', { dockerfile }),
    ];
    const runs = tasks.map((t) =>
      startCli([t, '--agent', 'command', '--agent-command', AGENT, '--attempts', '4', '--concurrency', '4']),
    );
    const done = await Promise.all(runs.map((r) => r.child));
    expect(done.map((d) => d.exitCode)).toEqual([0, 0]);
    const all = runs.flatMap((r) => results(r.out).trials.map((t) => ({ ...t, out: r.out })));
    expect(all).toHaveLength(8);
    expect(all.every((t) => t.status === 'completed' && t.reward === 1)).toBe(true);
    expect(new Set(all.map((t) => t.run_config.image)).size).toBe(1);
    for (const r of runs) expectAllDistinct(r.out, results(r.out).trials);
    for (const r of runs) await expectNothingLeft(r.runId, marker);
    await execa('docker', ['rmi', all[0].run_config.image], { reject: false });
  });
});
