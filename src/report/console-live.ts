// The CLI's live view for concurrent trials on a terminal: one line per running trial
// (phase, elapsed time, last output), redrawn in place; a trial's final line is printed
// above the block when it ends. Off a terminal, console.ts's prefixed lines are used.
import type { Emit, TrialEvent } from '../events.js';
import { agentMessageLine, clip } from './agent-lines.js';
import { decidingException } from '../result/reduce.js';

export interface LiveTrial {
  name: string;
  phase: string;
  phaseStartedAt: number;
  startedAt: number;
  last: string;
}

/** The block of running trials. Pure. */
export function renderLiveBlock(trials: LiveTrial[], now: number, width: number): string[] {
  return trials.map((t) => {
    const secs = ((now - t.phaseStartedAt) / 1000).toFixed(0).padStart(4);
    const head = `  ${t.name}  ${t.phase.padEnd(11)} ${secs}s  `;
    return head + clip(t.last, Math.max(10, width - head.length - 1));
  });
}

/** A trial's one final line. Pure. */
export function finalLine(e: Extract<TrialEvent, { type: 'run_complete' }>): string {
  const r = e.result;
  const mark = r.status === 'completed' ? (r.passed ? '✓' : '✗') : r.status === 'cancelled' ? '⏹' : '!';
  const secs = r.finished_at ? ((Date.parse(r.finished_at) - Date.parse(r.started_at)) / 1000).toFixed(1) : '?';
  const what =
    r.status === 'completed' ? `reward ${r.reward}` : `${r.status}: ${decidingException(r)?.exception_type ?? ''}`;
  return `${mark} ${r.trial_name}  ${what}  ${secs}s`;
}

export function liveProgress(out: NodeJS.WriteStream): { emit: Emit; stop(): void } {
  const running = new Map<string, LiveTrial>();
  const done: string[] = [];
  let drawn = 0;
  const draw = () => {
    const lines = renderLiveBlock([...running.values()], Date.now(), out.columns || 100);
    let s = drawn ? `\x1b[${drawn}F\x1b[J` : '';
    for (const l of done.splice(0)) s += `${l}\n`;
    for (const l of lines) s += `${l}\n`;
    drawn = lines.length;
    out.write(s);
  };
  const timer = setInterval(draw, 250);
  timer.unref();
  const emit: Emit = (e) => {
    const now = Date.parse(e.at);
    const t = running.get(e.trial_name);
    switch (e.type) {
      case 'trial_start':
        running.set(e.trial_name, {
          name: e.trial_name,
          phase: 'queued',
          phaseStartedAt: now,
          startedAt: now,
          last: '',
        });
        break;
      case 'phase_start':
        if (t) Object.assign(t, { phase: e.phase, phaseStartedAt: now, last: '' });
        break;
      case 'output':
        if (t) t.last = e.line;
        break;
      case 'agent_message':
        if (t) t.last = agentMessageLine(e.message) ?? t.last;
        break;
      case 'error':
        if (t) t.last = `${e.exception_type}: ${e.message}`;
        break;
      case 'run_complete':
        running.delete(e.trial_name);
        done.push(finalLine(e));
        break;
    }
  };
  return {
    emit,
    stop() {
      clearInterval(timer);
      draw();
    },
  };
}
