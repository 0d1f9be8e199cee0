// The trial record: stamping and folding events, recording a fatal error once, timing
// phases, and a result file that cannot be written still reaching the result.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CancelledError, InfraError } from '../src/errors.js';
import type { TrialEvent } from '../src/events.js';
import { TrialRecord } from '../src/trial/record.js';
import { testIdentity } from './helpers/identity.js';

const dir = () => mkdtempSync(path.join(tmpdir(), 'tb2-record-'));

test('events are stamped, phases timed, a rethrown error recorded once; result.json written', async () => {
  const seen: TrialEvent[] = [];
  const r = new TrialRecord('t__1', (e) => seen.push(e));
  r.emit({ type: 'trial_start', task_name: 't', task_dir: '/t', agent: 'oracle', attempt: 1 });
  const boom = new InfraError('ContainerStartError', 'no start');
  await expect(r.phase('environment', () => Promise.reject(boom))).rejects.toBe(boom);
  r.fail(boom); // the runner's outer catch sees the same error again
  const out = dir();
  const result = await r.finish(out, testIdentity(), { agent: 'oracle' });
  expect(seen.map((e) => e.type)).toEqual(['trial_start', 'phase_start', 'error', 'phase_end', 'run_complete']);
  expect(seen.every((e) => e.trial_name === 't__1' && !Number.isNaN(Date.parse(e.at)))).toBe(true);
  expect(result.status).toBe('error');
  expect(result.exception_info).toMatchObject({ exception_type: 'ContainerStartError', kind: 'infra' });
  expect(result.exceptions).toHaveLength(1);
  expect(result.environment_setup?.finished_at).toBeTruthy();
  expect(JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8'))).toEqual(result);
});

test('after an abort every failure is the cancellation, and phases refuse to start', async () => {
  const c = new AbortController();
  c.abort('SIGTERM');
  const r = new TrialRecord('t__2', () => undefined, c.signal);
  r.fail(new Error('docker exec died'));
  await expect(r.phase('agent', () => Promise.resolve(1))).rejects.toBeInstanceOf(CancelledError);
  const result = await r.finish(dir(), testIdentity(), {});
  expect(result.status).toBe('cancelled');
  expect(result.exception_info).toMatchObject({
    exception_type: 'CancelledError',
    exception_message: 'cancelled by SIGTERM',
  });
});

test('a result.json that cannot be written is an OutputWriteError in the result the job gets', async () => {
  const blocker = path.join(dir(), 'not-a-folder');
  writeFileSync(blocker, 'a file where the trial folder should be');
  const seen: TrialEvent[] = [];
  const r = new TrialRecord('t__3', (e) => seen.push(e));
  r.emit({ type: 'verifier_result', rewards: { reward: 1 }, reward: 1, tests: [] });
  const result = await r.finish(blocker, testIdentity(), {});
  expect(result.exceptions.map((x) => x.exception_type)).toEqual(['OutputWriteError']);
  expect(result.status).toBe('completed'); // the trial itself was fine; only its file is missing
  const complete = seen.at(-1);
  expect(complete?.type === 'run_complete' && complete.result).toEqual(result);
});
