// The artifact cap: a raw log the container writes (agent/*.txt, verifier/test-stdout.txt)
// keeps its first `maxBytes` and no more. The writers append (`>>`), so cutting the file
// back from the host makes their next writes land at the cap again; a background child
// the agent left keeps its descriptor, which is why this runs until the containers are
// gone, not only while the agent's exec lasts. A pipe through a capped writer in the
// container would have been exact, but a background child holding that pipe hangs the
// exec (as it did Harbor's verifier), and a file-size rlimit would kill an agent writing a big file on purpose.
import { appendFile, open, readdir, stat, truncate } from 'node:fs/promises';
import path from 'node:path';

const IDLE_POLL_MS = 250;
/** Once a flood is seen, look often: what lands between two looks is the overshoot. */
const FLOOD_POLL_MS = 25;
/** The last line of a cut log is kept after its head: it is often the verdict (claude-code's `result`). */
const MAX_KEPT_LAST_LINE = 1024 * 1024;

/**
 * What of a cut log's end is kept after its head (`text`: its last bytes, `whole` when that
 * is the whole file): the last complete line, and a line still being written after it,
 * always starting at a line boundary, so the writer's next bytes complete that line. A cut
 * caught in the middle of the last line must not lose it: it is often the verdict. Pure.
 */
export function keptTail(text: string, whole: boolean): string {
  const last = text.lastIndexOf('\n');
  if (last < 0) return whole ? text : '';
  const complete = last === text.length - 1;
  const before = text.lastIndexOf('\n', last - 1);
  if (before >= 0) return text.slice(before + 1);
  if (whole) return text;
  return complete ? '' : text.slice(last + 1);
}

/** The end of a file to keep after its cut head (keptTail), if it is short enough. */
async function lastLineOf(file: string, size: number): Promise<string> {
  const n = Math.min(size, MAX_KEPT_LAST_LINE);
  const fh = await open(file, 'r').catch(() => undefined);
  if (!fh) return '';
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, size - n);
    return keptTail(buf.subarray(0, bytesRead).toString('utf8'), n === size);
  } finally {
    await fh.close();
  }
}

/** Whether the byte before `at` is a newline (a cut head that ends a line). */
async function endsWithNewline(file: string, at: number): Promise<boolean> {
  const fh = await open(file, 'r').catch(() => undefined);
  if (!fh) return true;
  try {
    const b = Buffer.alloc(1);
    const { bytesRead } = await fh.read(b, 0, 1, at - 1);
    return bytesRead === 0 || b[0] === 10;
  } finally {
    await fh.close();
  }
}

export interface LogCap {
  /** Final cut, and a note at the end of every file that was cut. */
  stop(): Promise<void>;
}

/** `live: false`: cut only at stop() (artifacts: the separate verifier grades them whole first). */
export function capLogs(dirs: string[], maxBytes: number, opts: { live?: boolean } = {}): LogCap {
  const dropped = new Map<string, number>();
  const kept = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> = Promise.resolve();
  let stopped = false;

  const check = async (): Promise<void> => {
    const files = (
      await Promise.all(
        dirs.map((d) =>
          readdir(d, { recursive: true }).then(
            (fs) => fs.map((f) => path.join(d, f)),
            () => [] as string[],
          ),
        ),
      )
    ).flat();
    for (const file of files) {
      const size = (await stat(file).catch(() => undefined))?.size ?? 0;
      if (size <= maxBytes + (kept.get(file) ?? 0)) continue;
      const last = await lastLineOf(file, size);
      if (
        !(await truncate(file, maxBytes).then(
          () => true,
          () => false,
        ))
      )
        continue;
      dropped.set(file, (dropped.get(file) ?? 0) + size - maxBytes - last.length);
      // Head, then the last line: writers append, so later lines land after it and the next
      // cut replaces it with the newer last line. The head can end inside a line: then the
      // kept line starts on a line of its own, or a reader would find it glued to the head.
      const kept1 = last && ((await endsWithNewline(file, maxBytes)) ? last : `\n${last}`);
      const keptNow =
        kept1 &&
        (await appendFile(file, kept1).then(
          () => Buffer.byteLength(kept1),
          () => 0,
        ));
      kept.set(file, keptNow || 0);
    }
  };
  const schedule = () => {
    if (stopped || opts.live === false) return;
    timer = setTimeout(
      () => {
        pass = check().finally(schedule);
      },
      dropped.size ? FLOOD_POLL_MS : IDLE_POLL_MS,
    );
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await pass;
      await check();
      for (const [file, n] of dropped) {
        await appendFile(
          file,
          `\n[tb2: output cut at ${maxBytes} bytes; at least ${n} more bytes were dropped]\n`,
        ).catch(() => undefined);
      }
    },
  };
}
