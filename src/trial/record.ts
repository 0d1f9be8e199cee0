// The record of one trial: every event it emits is stamped (trial name, time), folded into
// its state (result/reduce.ts) and handed to the renderers; errors are recorded once;
// phases are timed; and at the end the result is settled and written. runTrial and the
// job's path for a task that never started (trial/job.ts) share it, so both produce the
// same events and the same result.json.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { asTb2Error, CancelledError } from '../errors.js';
import type { Emit, Phase, TrialEvent } from '../events.js';
import { applyEvent, finalize, initialState, type TrialIdentity, type TrialState } from '../result/reduce.js';
import type { TrialResult } from '../trial-result.js';
import { persist, writeAtomic } from './result-file.js';

/** An event as the runner writes it: the record adds `trial_name` and `at`. */
export type EventBody = TrialEvent extends infer E
  ? E extends TrialEvent
    ? Omit<E, 'trial_name' | 'at'>
    : never
  : never;

export class TrialRecord {
  private state: TrialState;
  private readonly recorded = new WeakSet<object>();
  /** The step of a multi-step task now running: its events carry its name. */
  private step?: string;

  constructor(
    readonly trialName: string,
    private readonly sink: Emit,
    private readonly signal?: AbortSignal,
  ) {
    this.state = initialState(trialName, isoNow());
  }

  emit(body: EventBody): void {
    const e = {
      ...body,
      trial_name: this.trialName,
      at: isoNow(),
      ...(this.step ? { step: this.step } : {}),
    } as TrialEvent;
    this.state = applyEvent(this.state, e);
    this.sink(e);
  }

  /**
   * A sink for a phase's output lines. The hot path (an agent can print millions): one
   * object literal, no spread, and no fold, which ignores them anyway (reduce.ts).
   */
  output(phase: Phase): (line: string) => void {
    return (line) => this.sink({ type: 'output', phase, line, trial_name: this.trialName, at: isoNow() });
  }

  /** Events from now on belong to this step (undefined: to the trial). */
  inStep(name: string | undefined): void {
    this.step = name;
  }

  /** Record the error that ends the trial, once however often it is rethrown. */
  fail(err: unknown, phase?: Phase): void {
    if (err && typeof err === 'object') {
      if (this.recorded.has(err)) return;
      this.recorded.add(err);
    }
    const e = this.signal?.aborted ? CancelledError.of(this.signal) : asTb2Error(err);
    this.emit({ type: 'error', phase, exception_type: e.exceptionType, message: e.message, fatal: true, kind: e.kind });
  }

  /** A recorded problem the trial goes on after. */
  warn(exceptionType: string, message: string, phase?: Phase): void {
    this.emit({ type: 'error', phase, exception_type: exceptionType, message, fatal: false });
  }

  /** Run one phase between its start and end events; a failure is recorded and rethrown. */
  async phase<T>(p: Phase, fn: () => Promise<T>): Promise<T> {
    if (this.signal?.aborted) throw CancelledError.of(this.signal);
    this.emit({ type: 'phase_start', phase: p });
    try {
      const out = await fn();
      this.emit({ type: 'phase_end', phase: p, ok: true });
      return out;
    } catch (err) {
      this.fail(err, p);
      this.emit({ type: 'phase_end', phase: p, ok: false, error: asTb2Error(err).message });
      throw err;
    }
  }

  /** An exception of an attempt a retry replaces: kept in the record, marked, never exception_info. */
  carry(previous: readonly TrialResult['exceptions'][number][]): void {
    this.state = {
      ...this.state,
      exceptions: [...previous.map((x) => ({ ...x, retried: true })), ...this.state.exceptions],
    };
  }

  /**
   * Settle the result and write the trial folder's files: Harbor's `config.json` (TrialConfig),
   * `exception.txt` (the traceback) exactly when exception_info is set, and `result.json`
   * last. A full disk shrinks raw logs and records why; a write that still fails is recorded
   * too, so the result handed to the job (and its result.json) says the trial's own file is missing.
   */
  async finish(trialDir: string, identity: TrialIdentity, runConfig: Record<string, unknown>): Promise<TrialResult> {
    const settle = () => finalize(this.state, isoNow(), identity, runConfig);
    const json = (r: TrialResult) => JSON.stringify(r, null, 2) + '\n';
    let result = settle();
    const side = await writeSideFiles(trialDir, identity, result);
    if (side) {
      this.warn('OutputWriteError', side);
      result = settle();
    }
    const unsaved = await persist(path.join(trialDir, 'result.json'), json(result), trialDir, (warning) => {
      this.warn('OutputDiskFullError', warning);
      return json((result = settle()));
    });
    if (unsaved && !side) {
      this.warn('OutputWriteError', unsaved);
      result = settle();
    }
    this.emit({ type: 'run_complete', result });
    return result;
  }
}

async function writeSideFiles(trialDir: string, identity: TrialIdentity, r: TrialResult): Promise<string | undefined> {
  try {
    await writeAtomic(path.join(trialDir, 'config.json'), JSON.stringify(identity.config, null, 2) + '\n');
    const trace = r.exception_info?.exception_traceback;
    if (trace) await writeAtomic(path.join(trialDir, 'exception.txt'), trace);
    else await rm(path.join(trialDir, 'exception.txt'), { force: true });
    return undefined;
  } catch (err) {
    return `could not write ${trialDir}/config.json or exception.txt: ${(err as Error).message}`;
  }
}

// One Date and toISOString per millisecond rather than per event: lines come in bursts.
let lastMs = -1;
let lastIso = '';
export function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
