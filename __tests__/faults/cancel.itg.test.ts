// Fault suite, cancellation: SIGINT and SIGTERM at every phase of a trial, with varied
// timing. Every time: the process exits within 5 s with 130/143, a cancelled result is
// written, and no container, snapshot or build container of the run remains.
import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { BUSYBOX, expectNothingLeft, makeTask, results, sleep, startCli, type Started } from './kit.js';

jest.setTimeout(120_000);

const SOAK = process.env.TB2_SOAK === '1';
/** Delays (ms) after the phase marker; the soak variant tries many more. */
const delays = (base: number[]) => (SOAK ? base.flatMap((d) => [d, d + 17, d + 71, d + 233]) : base);
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
const CODE = { SIGINT: 130, SIGTERM: 143 };

const agentTask = makeTask('fault-cancel');
const verifierTask = makeTask('fault-cancel-verify', {
  test: '#!/bin/sh\nsleep 30\necho 1 > /logs/verifier/reward.txt\n',
});

interface Case {
  phase: string;
  args: () => { args: string[]; marker?: string };
  /** What to wait for on stderr before the delay and the signal. */
  at: (marker?: string) => RegExp;
  delays: number[];
}

const cases: Case[] = [
  {
    phase: 'building',
    // A fresh marker every run: no build cache, and a way to find the step's container.
    args: () => {
      const marker = `tb2cancel${randomBytes(4).toString('hex')}`;
      const task = makeTask('fault-cancel-build', { dockerfile: `FROM ${BUSYBOX}\nRUN echo ${marker} && sleep 30\n` });
      return { args: [task, '--agent', 'command', '--agent-command', 'true'], marker };
    },
    at: (marker) => new RegExp(`│ ${marker}`),
    delays: delays([0, 300, 900]),
  },
  {
    phase: 'container start',
    args: () => ({ args: [agentTask, '--agent', 'command', '--agent-command', 'sleep 300'] }),
    at: () => /│ image \S+ \(local\)/,
    delays: delays([0, 40, 150]),
  },
  {
    phase: 'agent running',
    args: () => ({ args: [agentTask, '--agent', 'command', '--agent-command', 'sleep 300'] }),
    at: () => /· agent\n/,
    delays: delays([100, 700]),
  },
  {
    phase: 'verifier running',
    args: () => ({ args: [verifierTask, '--agent', 'command', '--agent-command', 'true'] }),
    at: () => /· verifier\n/,
    delays: delays([100, 700]),
  },
  {
    phase: 'verifier running (isolated: snapshot)',
    args: () => ({
      args: [verifierTask, '--agent', 'command', '--agent-command', 'true', '--verifier-mode', 'isolated'],
    }),
    at: () => /· verifier\n/,
    delays: delays([0, 400, 1200]),
  },
];

const table = cases.flatMap((c) => c.delays.map((d, i) => [c.phase, d, SIGNALS[i % 2], c] as const));

async function cancelAt(s: Started, at: RegExp, delay: number, signal: 'SIGINT' | 'SIGTERM') {
  await s.waitFor(at);
  await sleep(delay);
  const sent = Date.now();
  s.child.kill(signal);
  const res = await s.child;
  return { res, took: Date.now() - sent };
}

describe('cancellation', () => {
  test.each(table)(
    '%s, +%i ms, %s: exits within 5 s, cancelled result, nothing left',
    async (_phase, delay, signal, c) => {
      const { args, marker } = c.args();
      const s = startCli(args);
      const { res, took } = await cancelAt(s, c.at(marker), delay, signal);
      expect(took).toBeLessThan(5000);
      expect(res.exitCode).toBe(CODE[signal]);
      const { job, trials } = results(s.out);
      expect(trials).toHaveLength(1);
      expect(trials[0]).toMatchObject({
        status: 'cancelled',
        exception_info: { exception_type: 'CancelledError', exception_message: `cancelled by ${signal}` },
      });
      expect(job.counts.cancelled).toBe(1);
      expect(String(res.stderr)).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      await expectNothingLeft(s.runId, marker);
    },
  );

  // The last phase: a signal while the verdict is in and results are being written. A
  // verdict already reached is kept (not thrown away), the rest of the job is cancelled,
  // every file is whole, and the exit status still says "cancelled".
  test.each(delays([0, 25, 80]).map((d, i) => [d, SIGNALS[i % 2]] as const))(
    'writing results, +%i ms after the first verdict, %s: verdict kept, rest cancelled, files whole',
    async (delay, signal) => {
      const s = startCli([
        agentTask,
        '--agent',
        'command',
        '--agent-command',
        'mkdir -p /app && touch /app/hello.txt',
        '--attempts',
        '2',
      ]);
      const { res, took } = await cancelAt(s, /reward 1\n/, delay, signal);
      expect(took).toBeLessThan(5000);
      expect(res.exitCode).toBe(CODE[signal]);
      const { job, trials } = results(s.out);
      expect(trials.length).toBeGreaterThanOrEqual(1);
      for (const t of trials) expect(['completed', 'cancelled']).toContain(t.status);
      for (const t of trials.filter((x) => x.status === 'completed')) expect(t.reward).toBe(1);
      expect(job.counts.completed + job.counts.cancelled).toBe(trials.length);
      expect(job.counts.cancelled).toBeGreaterThanOrEqual(1);
      await expectNothingLeft(s.runId);
    },
  );
});
