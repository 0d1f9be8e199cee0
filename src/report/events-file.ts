// events.jsonl in each trial folder: every event as one JSON line, in order. Output lines
// are capped per trial (the raw logs in agent/ and verifier/ keep the full text), so a
// chatty agent cannot fill the disk twice. Secrets are scrubbed before anything is written.
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { Emit, TrialEvent } from '../events.js';

export const MAX_EVENT_OUTPUT_BYTES = 8 * 1024 * 1024;

const BATCH_BYTES = 64 * 1024;

interface EventsFile {
  stream: WriteStream;
  outputBytes: number;
  capped: boolean;
  /** Serialized events not yet handed to the stream. */
  pending: string;
}

export interface EventsFileWriter {
  emit: Emit;
  /** Wait until every file is flushed and closed. */
  close(): Promise<void>;
}

export function eventsFileWriter(outputDir: string, redact: (s: string) => string = (s) => s): EventsFileWriter {
  const open = new Map<string, EventsFile>();
  const closing: Promise<void>[] = [];
  const end = (name: string) => {
    const f = open.get(name);
    if (!f) return;
    open.delete(name);
    flush(f);
    closing.push(new Promise((resolve) => f.stream.end(resolve)));
  };
  // Lines are batched into one write per BATCH_BYTES or per turn of the event loop: a write
  // per event costs a request and a callback each, and a flood of them piles up in memory.
  const flush = (f: EventsFile) => {
    if (f.pending) f.stream.write(f.pending);
    f.pending = '';
  };
  let scheduled = false;
  const flushAll = () => {
    scheduled = false;
    for (const f of open.values()) flush(f);
  };
  const write = (f: EventsFile, text: string) => {
    f.pending += text;
    if (f.pending.length >= BATCH_BYTES) flush(f);
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flushAll);
    }
  };
  const emit: Emit = (e: TrialEvent) => {
    let f = open.get(e.trial_name);
    if (!f) {
      const stream = createWriteStream(path.join(outputDir, e.trial_name, 'events.jsonl'), { flags: 'a' });
      stream.on('error', () => undefined); // disk trouble must not crash the run; result.json reports
      f = { stream, outputBytes: 0, capped: false, pending: '' };
      open.set(e.trial_name, f);
    }
    if (e.type === 'output') {
      if (f.capped) return;
      f.outputBytes += e.line.length;
      if (f.outputBytes > MAX_EVENT_OUTPUT_BYTES) {
        f.capped = true;
        write(
          f,
          JSON.stringify({
            type: 'output_truncated',
            trial_name: e.trial_name,
            at: e.at,
            phase: e.phase,
            note: `output lines beyond ${MAX_EVENT_OUTPUT_BYTES} bytes are only in the raw logs`,
          }) + '\n',
        );
        return;
      }
    }
    write(f, redact(JSON.stringify(e)) + '\n');
    if (e.type === 'run_complete') end(e.trial_name);
  };
  return {
    emit,
    async close() {
      for (const name of [...open.keys()]) end(name);
      await Promise.all(closing);
    },
  };
}
