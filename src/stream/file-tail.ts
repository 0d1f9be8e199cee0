// Follow a file the container writes through a bind mount (agent output, test-stdout.txt)
// and hand its new bytes on as lines. Processes in the container write to a file, never to
// a pipe we hold (a background child keeping a pipe open hangs the exec, as it did Harbor's verifier), so
// this tail is how their output reaches the log live.
import { open, type FileHandle } from 'node:fs/promises';
import { LineSplitter } from './lines.js';

const POLL_MS = 100;
const CHUNK = 1024 * 1024;

export class FileTail {
  private offset = 0;
  private handle?: FileHandle;
  private timer?: NodeJS.Timeout;
  private reading?: Promise<void>;
  private readonly lines: LineSplitter;
  private readonly buf = Buffer.allocUnsafe(CHUNK);

  constructor(
    private readonly file: string,
    onLine: (line: string) => void,
    /** Stop handing on lines after this many bytes (the file itself keeps everything). */
    private readonly maxBytes = Number.POSITIVE_INFINITY,
    private readonly onCap?: () => void,
    /** Longest line handed on whole (a JSON stream with big tool results needs more). */
    maxLineBytes?: number,
  ) {
    this.lines = new LineSplitter(onLine, maxLineBytes);
  }

  start(): this {
    const tick = () => {
      this.reading = this.drain().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, POLL_MS);
      });
    };
    this.timer = setTimeout(tick, POLL_MS);
    return this;
  }

  /** Read what is left, flush the last partial line, close. */
  async stop(): Promise<void> {
    const t = this.timer;
    this.timer = undefined;
    clearTimeout(t);
    await this.reading;
    await this.drain();
    this.lines.end();
    await this.handle?.close();
    this.handle = undefined;
  }

  private async drain(): Promise<void> {
    if (!this.handle) {
      this.handle = await open(this.file, 'r').catch(() => undefined);
      if (!this.handle) return;
    }
    for (;;) {
      if (this.offset >= this.maxBytes) return;
      const { bytesRead } = await this.handle.read(this.buf, 0, CHUNK, this.offset);
      if (bytesRead === 0) return;
      this.offset += bytesRead;
      this.lines.push(this.buf.subarray(0, bytesRead));
      if (this.offset >= this.maxBytes) this.onCap?.();
    }
  }
}
