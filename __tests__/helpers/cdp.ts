// A minimal Chrome DevTools Protocol client over --remote-debugging-pipe (fd 3 in, fd 4 out,
// one JSON message per NUL-terminated chunk: https://chromedevtools.github.io/devtools-protocol/):
// no WebSocket (Node 20 has none built in, and `ws` is not a dependency). Enough to open a
// page in real headless Chromium, collect every console message, exception and log entry
// from before load, and evaluate expressions in it (clicks included).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';

type Msg = {
  id?: number;
  method?: string;
  params?: any;
  result?: any;
  error?: { message: string };
  sessionId?: string;
};

export class Browser {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: any) => void; reject: (e: Error) => void }>();
  private buf = '';
  /** Console calls, uncaught exceptions and log entries (CSP violations among them), as text. */
  readonly messages: string[] = [];
  private loaded?: () => void;

  private constructor(
    private readonly child: ChildProcess,
    private readonly profile: string,
  ) {
    (child.stdio[4] as Readable).on('data', (chunk: Buffer) => {
      this.buf += chunk.toString('utf8');
      let nul;
      while ((nul = this.buf.indexOf('\0')) >= 0) {
        const msg = JSON.parse(this.buf.slice(0, nul)) as Msg;
        this.buf = this.buf.slice(nul + 1);
        this.onMessage(msg);
      }
    });
  }

  static launch(): Browser {
    const profile = mkdtempSync(path.join(tmpdir(), 'tb2-cdp-'));
    const child = spawn(
      'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        `--user-data-dir=${profile}`,
        '--remote-debugging-pipe',
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
    );
    return new Browser(child, profile);
  }

  private onMessage(m: Msg): void {
    if (m.id !== undefined) {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error) p?.reject(new Error(m.error.message));
      else p?.resolve(m.result);
      return;
    }
    if (m.method === 'Runtime.consoleAPICalled')
      this.messages.push(
        `console.${m.params.type}: ${m.params.args.map((a: any) => a.value ?? a.description).join(' ')}`,
      );
    if (m.method === 'Runtime.exceptionThrown')
      this.messages.push(
        `exception: ${m.params.exceptionDetails.exception?.description ?? m.params.exceptionDetails.text}`,
      );
    if (m.method === 'Log.entryAdded')
      this.messages.push(`log.${m.params.entry.level} (${m.params.entry.source}): ${m.params.entry.text}`);
    if (m.method === 'Page.loadEventFired') this.loaded?.();
  }

  send(method: string, params: object = {}, sessionId?: string): Promise<any> {
    const id = this.nextId++;
    (this.child.stdio[3] as Writable).write(
      JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0',
    );
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  /** A new tab with console, exceptions and logs recorded from its first byte, then `url` loaded. */
  async open(url: string): Promise<(expression: string) => Promise<unknown>> {
    const { targetId } = await this.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
    for (const domain of ['Runtime', 'Log', 'Page']) await this.send(`${domain}.enable`, {}, sessionId);
    const loaded = new Promise<void>((resolve) => (this.loaded = resolve));
    await this.send('Page.navigate', { url }, sessionId);
    await loaded;
    return async (expression) => {
      const r = await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, sessionId);
      if (r.exceptionDetails)
        throw new Error(`evaluate: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
      return r.result.value;
    };
  }

  async close(): Promise<void> {
    await this.send('Browser.close').catch(() => undefined);
    await new Promise((r) => (this.child.exitCode !== null ? r(null) : this.child.once('exit', r)));
    rmSync(this.profile, { recursive: true, force: true });
  }
}
