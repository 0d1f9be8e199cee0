// A trial's transcript for the HTML report, kept bounded whatever the trial printed: the
// agent's messages, tool calls and results, errors and notes are kept in order up to a cap;
// plain output lines keep their first and last lines only, with a marker where the middle
// was cut. A trial that printed 300 MB costs the page a few hundred KB. Pure.

export type EntryKind =
  'phase' | 'output' | 'message' | 'tool_call' | 'tool_result' | 'error' | 'timeout' | 'note' | 'cut';

export interface Entry {
  kind: EntryKind;
  text: string;
  /** The phase an output line or phase marker belongs to (environment, agent, verifier, log…). */
  phase?: string;
  /** false for a failed tool result or phase. */
  ok?: boolean;
  at?: string;
}

export interface TranscriptLimits {
  /** Output lines kept from the start and from the end. */
  headLines: number;
  tailLines: number;
  /** Messages, tool calls and notes kept (the first ones); as many errors, timeouts and phase marks besides. */
  maxEntries: number;
  maxLineChars: number;
  maxTextChars: number;
}

export const DEFAULT_LIMITS: TranscriptLimits = {
  headLines: 100,
  tailLines: 150,
  maxEntries: 400,
  maxLineChars: 1000,
  maxTextChars: 4000,
};

/** Jobs up to this many trials get DEFAULT_LIMITS per trial; larger ones share that page weight. */
export const FULL_LIMIT_TRIALS = 20;

/**
 * The limits for each trial of a job of `trials`: the defaults up to FULL_LIMIT_TRIALS,
 * then scaled down so the page stays about as heavy as 20 capped trials (a few MB),
 * but never below a fifth of them: every trial keeps its start, its end and its errors.
 */
export function limitsFor(trials: number, base: TranscriptLimits = DEFAULT_LIMITS): TranscriptLimits {
  const f = Math.max(0.2, Math.min(1, FULL_LIMIT_TRIALS / Math.max(1, trials)));
  const scale = (n: number) => Math.max(1, Math.round(n * f));
  return {
    ...base,
    headLines: scale(base.headLines),
    tailLines: scale(base.tailLines),
    maxEntries: scale(base.maxEntries),
    maxTextChars: scale(base.maxTextChars),
  };
}

type Seq = Entry & { seq: number };

const clipText = (s: string, max: number) =>
  s.length > max ? `${s.slice(0, max)} … [${s.length - max} more characters cut]` : s;

export class TranscriptBuilder {
  private seq = 0;
  private readonly head: Seq[] = [];
  /** The last output lines, a ring: `tailAt` is where the next one goes. */
  private readonly tail: Seq[] = [];
  private tailAt = 0;
  private readonly other: Seq[] = [];
  private outputLines = 0;
  private droppedOther = 0;
  private vital = 0;
  /** Where the first dropped output line was: the cut marker goes there. */
  private cutAt = -1;

  constructor(private readonly limits: TranscriptLimits = DEFAULT_LIMITS) {}

  add(e: Entry): void {
    const seq = this.seq++;
    if (e.kind === 'output') {
      // The hot path (millions of lines): no copies beyond the one entry kept.
      this.outputLines++;
      const entry: Seq = {
        kind: 'output',
        phase: e.phase,
        text: clipText(e.text, this.limits.maxLineChars),
        at: e.at,
        seq,
      };
      if (this.head.length < this.limits.headLines) return void this.head.push(entry);
      if (this.limits.tailLines === 0) return void (this.cutAt < 0 && (this.cutAt = seq));
      if (this.tail.length < this.limits.tailLines) return void this.tail.push(entry);
      const gone = this.tail[this.tailAt];
      if (this.cutAt < 0) this.cutAt = gone.seq;
      this.tail[this.tailAt] = entry;
      this.tailAt = (this.tailAt + 1) % this.limits.tailLines;
      return;
    }
    // Errors, timeouts and phase marks have a budget of their own: a flood of messages never hides them.
    const vital = e.kind === 'error' || e.kind === 'timeout' || e.kind === 'phase' || e.kind === 'cut';
    if (vital ? this.vital >= this.limits.maxEntries : this.other.length - this.vital >= this.limits.maxEntries)
      return void this.droppedOther++;
    if (vital) this.vital++;
    this.other.push({ ...e, text: clipText(e.text, this.limits.maxTextChars), seq });
  }

  /** Output lines seen, and how many of them the transcript left out. */
  get counts(): { outputLines: number; droppedLines: number; droppedEntries: number } {
    const kept = this.head.length + this.tail.length;
    return { outputLines: this.outputLines, droppedLines: this.outputLines - kept, droppedEntries: this.droppedOther };
  }

  entries(): Entry[] {
    const { droppedLines, outputLines } = this.counts;
    const all: Seq[] = [...this.head, ...this.tail, ...this.other];
    if (droppedLines > 0)
      all.push({
        kind: 'cut',
        text: `… ${droppedLines.toLocaleString('en-US')} of ${outputLines.toLocaleString('en-US')} output lines cut here (the first ${this.head.length} and the last ${this.tail.length} are shown; the trial folder's raw logs keep the rest) …`,
        seq: this.cutAt - 0.5,
      });
    if (this.droppedOther > 0)
      all.push({
        kind: 'cut',
        text: `… ${this.droppedOther} more messages, tool calls and notes cut (the first ${this.limits.maxEntries} are shown) …`,
        seq: Number.MAX_SAFE_INTEGER,
      });
    return all.sort((a, b) => a.seq - b.seq).map(({ seq: _seq, ...e }) => e);
  }
}
