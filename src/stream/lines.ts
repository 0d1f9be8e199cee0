// Split a byte stream into lines without ever buffering it whole (a chatty process must
// not fill memory, Harbor's "exec deadlock with large output"). A line longer than maxLineBytes is cut and
// marked, so one 100 MB line costs at most maxLineBytes of memory.
import { StringDecoder } from 'node:string_decoder';

export const DEFAULT_MAX_LINE_BYTES = 16 * 1024;

export class LineSplitter {
  private partial = '';
  private dropping = false;
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    // Hot path (millions of lines): scan by index and hand on slices of the chunk; only a
    // line that spans chunks or is cut goes through `partial`.
    let start = 0;
    let nl = text.indexOf('\n');
    while (nl !== -1) {
      if (!this.partial && !this.dropping && nl - start <= this.maxLineBytes) {
        this.onLine(text.charCodeAt(nl - 1) === 13 && nl > start ? text.slice(start, nl - 1) : text.slice(start, nl));
      } else {
        this.take(text.slice(start, nl));
        this.flushLine();
      }
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    if (start < text.length) this.take(start === 0 ? text : text.slice(start));
  }

  /** Emit whatever is left (a last line with no newline). */
  end(): void {
    this.take(this.decoder.end());
    if (this.partial || this.dropping) this.flushLine();
  }

  private take(text: string): void {
    if (!text || this.dropping) return;
    if (this.partial.length + text.length > this.maxLineBytes) {
      this.partial += text.slice(0, this.maxLineBytes - this.partial.length);
      this.dropping = true;
    } else {
      this.partial += text;
    }
  }

  private flushLine(): void {
    let line = this.partial.endsWith('\r') ? this.partial.slice(0, -1) : this.partial;
    if (this.dropping) line += ` … [line cut at ${this.maxLineBytes} characters]`;
    this.partial = '';
    this.dropping = false;
    this.onLine(line);
  }
}
