// A fake Environment and Environments for runner and job tests without Docker: it records
// what was done to it, answers every exec, and writes the reward a verifier would.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Environment, Environments, ExecOptions, ExecResult, StartRequest } from '../../src/environment/types.js';

export const OK: ExecResult = { exitCode: 0, timedOut: false, aborted: false, stdout: '', stderrTail: '' };
/** The verifier: writes reward 1 (`reward`) or 0 (`zero`), times out, or hangs until aborted. */
export type Behaviour = 'reward' | 'zero' | 'timeout' | 'hang';

/** Waits until the call's signal aborts, then answers as an aborted docker call does. */
export const untilAborted = (signal?: AbortSignal) =>
  new Promise<ExecResult>((resolve) => {
    const done = () => resolve({ ...OK, exitCode: -1, aborted: true });
    if (signal?.aborted) done();
    else signal?.addEventListener('abort', done, { once: true });
  });

export class FakeEnv implements Environment {
  stopped = 0;
  constructor(
    readonly name: string,
    private readonly req: StartRequest,
    private readonly log: string[],
    private readonly verifier: Behaviour,
  ) {}
  async exec(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
    this.log.push(`${this.name}: exec ${opts.tag ?? script.slice(0, 20)}`);
    if (opts.tag !== 'verifier') return OK;
    if (opts.prepare) opts.onLine?.('tb2-verifier-ready', 'stdout');
    if (this.verifier === 'timeout') return { ...OK, exitCode: -1, timedOut: true };
    if (this.verifier === 'hang') return untilAborted(opts.signal);
    writeFileSync(path.join(this.req.verifierDir, 'reward.txt'), this.verifier === 'zero' ? '0\n' : '1\n');
    return OK;
  }
  async run(): Promise<string> {
    return '';
  }
  async stage(): Promise<string> {
    return '/.tb2-stage-x';
  }
  async copyIn(): Promise<void> {}
  async copyOut(): Promise<void> {}
  async running() {
    return { running: true, why: '' };
  }
  async processCount() {
    return 1;
  }
  async restart(): Promise<void> {}
  async isolate(): Promise<Environment> {
    this.log.push(`${this.name}: isolate`);
    await this.stop();
    const fresh = new FakeEnv(`${this.name}-verify`, this.req, this.log, this.verifier);
    made.push(fresh);
    return fresh;
  }
  async stop(): Promise<void> {
    this.stopped++;
    this.log.push(`${this.name}: stop`);
  }
}

/** Every environment the fakes made, in order (tests reset it). */
export const made: FakeEnv[] = [];
export function fakeEnvironments(
  log: string[],
  opts: { verifier?: Behaviour; startFails?: Error; startHangs?: boolean } = {},
): Environments {
  return {
    async start(req) {
      await req.prepared;
      if (opts.startHangs) {
        await untilAborted(req.signal);
        throw new Error('aborted');
      }
      if (opts.startFails) throw opts.startFails;
      req.onImage('img:1', 'local');
      const env = new FakeEnv('main', req, log, opts.verifier ?? 'reward');
      made.push(env);
      return env;
    },
  };
}
