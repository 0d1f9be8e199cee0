// `[environment] healthcheck` (Harbor's HealthcheckConfig, mirroring Docker's HEALTHCHECK):
// after the environment starts and before agent setup, run the command in `main` until it
// succeeds. Failures during start_period_sec do not count and are retried every
// start_interval_sec; after it, every interval_sec, and retries consecutive failures end
// the trial with HealthcheckError (infrastructure: exit 3, no agent, no verifier). The
// command runs through exec, never written into a compose file, where `$` would be
// interpolated.
import { CancelledError, InfraError } from '../errors.js';
import type { Healthcheck } from '../task/schema.js';

export interface Probe {
  ok: boolean;
  /** What the command printed last, or why it did not finish. */
  output: string;
  aborted: boolean;
}

export interface HealthcheckDeps {
  probe: () => Promise<Probe>;
  signal: AbortSignal;
  onLine: (line: string) => void;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
}

const abortableSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

export async function awaitHealthy(h: Healthcheck, deps: HealthcheckDeps): Promise<void> {
  const sleep = deps.sleep ?? abortableSleep;
  const now = deps.now ?? Date.now;
  const started = now();
  let failures = 0;
  for (let attempt = 1; ; attempt++) {
    const res = await deps.probe();
    if (res.aborted || deps.signal.aborted) throw CancelledError.of(deps.signal);
    if (res.ok) {
      deps.onLine(`healthcheck passed (attempt ${attempt})`);
      return;
    }
    const starting = now() - started < h.startPeriodSec * 1000;
    if (!starting) failures++;
    deps.onLine(
      `healthcheck attempt ${attempt} failed${starting ? ' (start period)' : ` (${failures}/${h.retries})`}: ${res.output}`,
    );
    if (failures >= h.retries) {
      throw new InfraError(
        'HealthcheckError',
        `[environment] healthcheck failed ${failures} time(s) in a row (${JSON.stringify(h.command)}): ${res.output}`,
      );
    }
    await sleep((starting ? h.startIntervalSec : h.intervalSec) * 1000, deps.signal);
  }
}

/** The last lines a failed probe printed, for the log and the error. */
export function probeOutput(
  r: { exitCode: number; timedOut: boolean; stdout: string; stderrTail: string },
  timeoutSec: number,
): string {
  if (r.timedOut) return `timed out after ${timeoutSec}s`;
  const text = `${r.stdout}\n${r.stderrTail}`.trim().split('\n').slice(-3).join(' | ');
  return text ? `exit ${r.exitCode}: ${text.slice(0, 500)}` : `exit ${r.exitCode}`;
}
