// Bounds on what a trajectory holds, so a huge session (a tool that printed megabytes, a
// Write of a large file) neither fills memory nor makes agent/trajectory.json so big the
// log cap (trial/log-cap.ts) cuts it into invalid JSON. Every string is capped; once a
// total budget is spent, the strings after it keep only a short head. Each cut is noted
// (field, original length) for the step's `extra.truncated`. Pure.

/** Characters (UTF-16 code units) one content string keeps at most. */
export const MAX_CONTENT_CHARS = 64 * 1024;
/** What a string keeps once the whole trajectory's budget is spent. */
const SPENT_CONTENT_CHARS = 1024;
/** Nesting of tool arguments walked; deeper values are kept as they are. */
const MAX_DEPTH = 32;

export interface Cut {
  field: string;
  original_chars: number;
}

export class Clipper {
  private used = 0;
  /** How many strings were cut, over the whole trajectory. */
  cuts = 0;

  constructor(
    private readonly budget = Number.POSITIVE_INFINITY,
    private readonly max = MAX_CONTENT_CHARS,
  ) {}

  /** `text`, cut to the cap with a marker at the end; a cut is pushed onto `notes`. */
  text(text: string, field: string, notes: Cut[]): string {
    const limit = this.used >= this.budget ? Math.min(this.max, SPENT_CONTENT_CHARS) : this.max;
    if (text.length <= limit) {
      this.used += text.length;
      return text;
    }
    // Never split a surrogate pair: a lone half is not valid UTF-8 once written.
    const code = text.charCodeAt(limit - 1);
    const end = code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
    this.used += end;
    this.cuts++;
    notes.push({ field, original_chars: text.length });
    return `${text.slice(0, end)} … [cut: ${end} of ${text.length} characters kept]`;
  }

  /** Tool arguments with every long string inside cut the same way. */
  value(v: unknown, field: string, notes: Cut[], depth = 0): unknown {
    if (typeof v === 'string') return this.text(v, field, notes);
    if (depth >= MAX_DEPTH || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x, i) => this.value(x, `${field}[${i}]`, notes, depth + 1));
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [
        k,
        this.value(x, `${field}.${k}`, notes, depth + 1),
      ]),
    );
  }
}
