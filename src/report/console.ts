// The CLI's terminal view: live progress on stderr (phase, elapsed time, output lines,
// capped per phase so a flood cannot swamp the terminal), then a result table on stdout.
import type { Emit, Phase, TrialEvent } from '../events.js';
import type { JobResult } from '../result/job.js';
import { agentMessageLine } from './agent-lines.js';

const MAX_LINES_PER_PHASE = 400;

export function consoleProgress(write: (s: string) => void, opts: { prefix: boolean }): Emit {
  const phaseStart = new Map<string, number>();
  const shown = new Map<string, number>();
  const tag = (e: TrialEvent) => (opts.prefix ? `[${e.trial_name}] ` : '');
  const keyOf = (e: TrialEvent) => `${e.trial_name}/${'phase' in e ? e.phase : ''}`;
  return (e) => {
    switch (e.type) {
      case 'trial_start':
        write(`${tag(e)}▶ ${e.task_name} (trial ${e.trial_name}, agent ${e.agent}, attempt ${e.attempt})\n`);
        break;
      case 'phase_start':
        phaseStart.set(keyOf(e), Date.parse(e.at));
        write(`${tag(e)}· ${e.phase}\n`);
        break;
      case 'phase_end': {
        const secs = ((Date.parse(e.at) - (phaseStart.get(keyOf(e)) ?? Date.parse(e.at))) / 1000).toFixed(1);
        write(`${tag(e)}${e.ok ? '✓' : '✗'} ${e.phase} ${secs}s${e.error ? ` — ${e.error}` : ''}\n`);
        break;
      }
      case 'output': {
        // Per line: past the cap this is one key, one lookup and one store, nothing more.
        const key = keyOf(e);
        const n = (shown.get(key) ?? 0) + 1;
        shown.set(key, n);
        if (n <= MAX_LINES_PER_PHASE) write(`${tag(e)}  │ ${e.line}\n`);
        else if (n === MAX_LINES_PER_PHASE + 1)
          write(`${tag(e)}  │ … (more ${e.phase as Phase} output in the trial folder)\n`);
        break;
      }
      case 'agent_message': {
        const line = agentMessageLine(e.message);
        if (line) write(`${tag(e)}  ${line}\n`);
        break;
      }
      case 'error':
        write(`${tag(e)}${e.fatal ? '✗' : '!'} ${e.exception_type}: ${e.message}\n`);
        break;
      case 'step_start':
        write(`${tag(e)}── step ${e.index}/${e.total}: ${e.step}\n`);
        break;
      case 'step_end':
        if (e.stopped) write(`${tag(e)}⏭ stopped after step ${e.step}: ${e.stopped}\n`);
        break;
      case 'trial_retry':
        write(
          `${tag(e)}↻ ${e.exception_type} is transient: running the trial again (retry ${e.retry} of ${e.max_retries})\n`,
        );
        break;
      case 'verifier_result':
        write(
          `${tag(e)}  reward ${e.reward}${e.tests.length ? ` (${e.tests.filter((t) => t.status === 'passed').length}/${e.tests.length} tests passed)` : ''}\n`,
        );
        break;
    }
  };
}

/** The final table: one row per trial, then the job line. Pure. */
export function resultTable(job: JobResult, jobResultPath: string): string {
  const rows = job.trials.map((t) => [
    t.trial_name,
    t.status,
    t.reward === null ? '-' : String(+t.reward.toFixed(4)),
    t.passed ? 'yes' : 'no',
    t.tests_total ? `${t.tests_passed}/${t.tests_total}` : '-',
    `${t.duration_sec.toFixed(1)}s`,
    t.exception_type ?? '',
  ]);
  const head = ['TRIAL', 'STATUS', 'REWARD', 'SOLVED', 'TESTS', 'TIME', 'ERROR'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const pass = Object.entries(job.pass_at_k)
    .map(([k, v]) => `pass@${k} ${v.toFixed(3)}`)
    .join('  ');
  return [
    fmt(head),
    ...rows.map(fmt),
    '',
    `mean reward ${job.mean_reward.toFixed(3)}  solved ${job.n_passed}/${job.n_trials}  completed ${job.counts.completed}  error ${job.counts.error}  cancelled ${job.counts.cancelled}${pass ? `  ${pass}` : ''}`,
    `job result: ${jobResultPath}`,
    '',
  ].join('\n');
}
