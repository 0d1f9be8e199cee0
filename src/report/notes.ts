// What the job summary shows beyond result.json, collected from the event stream as it
// passes: the agent's final message (or the tail of its output when it has no structured
// messages) and the tail of the verifier's output. Bounded per trial, whatever is printed.
import type { Emit } from '../events.js';

export const NOTE_TAIL_LINES = 40;
const MAX_NOTE_LINE_CHARS = 2000;

export interface TrialNotes {
  /** The agent's last message to the user (claude-code's result text or last text block). */
  finalMessage?: string;
  /** Last lines of plain agent output (command and oracle agents). */
  agentTail: string[];
  /** Last lines of tests/test.sh output. */
  verifierTail: string[];
}

export interface NotesCollector {
  emit: Emit;
  notes: Map<string, TrialNotes>;
}

export function notesCollector(): NotesCollector {
  const notes = new Map<string, TrialNotes>();
  const of = (trial: string) => {
    let n = notes.get(trial);
    if (!n) notes.set(trial, (n = { agentTail: [], verifierTail: [] }));
    return n;
  };
  const push = (tail: string[], line: string) => {
    tail.push(line.length > MAX_NOTE_LINE_CHARS ? `${line.slice(0, MAX_NOTE_LINE_CHARS)}…` : line);
    if (tail.length > NOTE_TAIL_LINES) tail.shift();
  };
  const emit: Emit = (e) => {
    if (e.type === 'output' && (e.phase === 'agent' || e.phase === 'verifier')) {
      push(e.phase === 'agent' ? of(e.trial_name).agentTail : of(e.trial_name).verifierTail, e.line);
    } else if (e.type === 'agent_message') {
      const m = e.message;
      if (m.kind === 'text' && m.text.trim()) of(e.trial_name).finalMessage = m.text;
      if (m.kind === 'result' && m.text?.trim()) of(e.trial_name).finalMessage = m.text;
    }
  };
  return { emit, notes };
}
