// The healthcheck policy (Harbor's HealthcheckConfig): first success passes; failures in
// the start period do not count; `retries` consecutive failures fail with the last output.
import { workdirScript } from '../src/environment/factory.js';
import { awaitHealthy, type Probe } from '../src/environment/healthcheck.js';
import type { Healthcheck } from '../src/task/schema.js';

const h = (over: Partial<Healthcheck> = {}): Healthcheck => ({
  command: 'curl -fs http://db:8080/',
  intervalSec: 5,
  timeoutSec: 30,
  startPeriodSec: 0,
  startIntervalSec: 1,
  retries: 3,
  ...over,
});

/** Probes answer from a script; the clock advances only by the sleeps the policy asks for. */
function run(check: Healthcheck, answers: boolean[]) {
  let t = 0;
  const sleeps: number[] = [];
  const lines: string[] = [];
  let i = 0;
  const done = awaitHealthy(check, {
    signal: new AbortController().signal,
    onLine: (l) => lines.push(l),
    probe: async (): Promise<Probe> => ({ ok: answers[i++] ?? false, output: `exit 7: try ${i}`, aborted: false }),
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
    now: () => t,
  });
  return { done, sleeps, lines, probes: () => i };
}

test('passes at the first success', async () => {
  const r = run(h(), [false, true]);
  await r.done;
  expect(r.probes()).toBe(2);
  expect(r.sleeps).toEqual([5000]);
  expect(r.lines.at(-1)).toBe('healthcheck passed (attempt 2)');
});

test('fails after `retries` consecutive failures, naming the command and the last output', async () => {
  const r = run(h(), []);
  await expect(r.done).rejects.toMatchObject({
    exceptionType: 'HealthcheckError',
    kind: 'infra',
    message: expect.stringMatching(/failed 3 time\(s\) in a row \("curl -fs http:\/\/db:8080\/"\): exit 7: try 3$/),
  });
  expect(r.probes()).toBe(3);
});

test('failures in the start period do not count and retry at the start interval', async () => {
  const r = run(h({ startPeriodSec: 3, startIntervalSec: 1, retries: 2 }), []);
  await expect(r.done).rejects.toMatchObject({ exceptionType: 'HealthcheckError' });
  // t=0,1,2 inside the start period (1 s apart), then t=3 and t=8 count: 5 probes in all.
  expect(r.sleeps).toEqual([1000, 1000, 1000, 5000]);
  expect(r.probes()).toBe(5);
});

test('an abort ends it as a cancellation', async () => {
  const c = new AbortController();
  c.abort('SIGINT');
  const done = awaitHealthy(h(), {
    signal: c.signal,
    onLine: () => undefined,
    probe: async () => ({ ok: false, output: '', aborted: true }),
  });
  await expect(done).rejects.toMatchObject({ exceptionType: 'CancelledError' });
});

describe('workdirScript', () => {
  test.each([
    ['/app', undefined, "[ -d '/app' ] || { mkdir -p '/app'; }"],
    [
      '/work/a b',
      'tester',
      "[ -d '/work/a b' ] || { mkdir -p '/work/a b' && chown 'tester' '/work/a b' 2>/dev/null; }",
    ],
    ["/x'y", '1000', `[ -d '/x'\\''y' ] || { mkdir -p '/x'\\''y' && chown '1000' '/x'\\''y' 2>/dev/null; }`],
  ])('%s as %s', (dir, user, want) => expect(workdirScript(dir, user)).toBe(want));
});
