import { finalLine, renderLiveBlock } from '../src/report/console-live.js';

test('one line per running trial: phase, elapsed, last output clipped to the width', () => {
  const lines = renderLiveBlock(
    [
      { name: 'a__1', phase: 'agent', phaseStartedAt: 0, startedAt: 0, last: 'x'.repeat(500) },
      { name: 'b__2', phase: 'verifier', phaseStartedAt: 5000, startedAt: 0, last: 'ok' },
    ],
    12_000,
    80,
  );
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^ {2}a__1 {2}agent {9}12s {2}x+…$/);
  expect(lines[0].length).toBeLessThanOrEqual(80);
  expect(lines[1]).toContain('verifier       7s  ok');
});

test('a final line per trial', () => {
  const result = {
    trial_name: 't__1',
    status: 'completed',
    passed: true,
    reward: 1,
    started_at: '2026-01-01T00:00:00Z',
    finished_at: '2026-01-01T00:00:02.5Z',
    exception_info: null,
    exceptions: [],
  };
  expect(finalLine({ type: 'run_complete', trial_name: 't__1', at: '', result } as never)).toBe(
    '✓ t__1  reward 1  2.5s',
  );
  const err = {
    ...result,
    status: 'error',
    passed: false,
    reward: null,
    exception_info: { exception_type: 'VerifierTimeoutError' },
  };
  expect(finalLine({ type: 'run_complete', trial_name: 't__1', at: '', result: err } as never)).toBe(
    '! t__1  error: VerifierTimeoutError  2.5s',
  );
});
