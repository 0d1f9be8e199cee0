// `tb2 run --baseline`: the comparison after the result table and, with
// --fail-on-regressions, its gate on the exit status; a bad baseline path fails before
// any trial runs. Real Docker, the bundled CLI.
import { readFileSync } from 'node:fs';
import { jest } from '@jest/globals';
import path from 'node:path';
import { EXAMPLES, ROOT, runCli, trialResults } from './helpers/cli.js';

jest.setTimeout(300_000);

const CTRF = path.join(EXAMPLES, 'ctrf-report');
// A job where examples/ctrf-report passed.
const BASELINE = path.join(ROOT, '__tests__', 'fixtures', 'results', 'pass');
const NOTHING = ['--agent', 'command', '--agent-command', 'true'];

test('a regression against the baseline: printed; exit 1 only with --fail-on-regressions', async () => {
  const r = await runCli([CTRF, ...NOTHING, '--baseline', BASELINE, '--fail-on-regressions']);
  expect(r.stderr).not.toMatch(/tb2: (?!warning)/);
  expect(r.exitCode).toBe(1);
  expect(trialResults(r.out)[0]).toMatchObject({ status: 'completed', passed: false });
  expect(r.stdout).toContain(`### Compared with baseline ${BASELINE}`);
  expect(r.stdout).toContain('The comparison is anecdotal');
  expect(r.stdout).toMatch(/\| 🔴 newly failing ⛔ \| examples\/ctrf-report \| 1\/1 \| 0\/1 \| 0\.5 \|/);
  // The report shows the same diff and gate (issue 15).
  const html = readFileSync(path.join(r.out, 'report.html'), 'utf8');
  expect(html).toContain('<tr class="regression gating" title="fails the regression gate"><td>newly failing');
  expect(html).toMatch(/<p class="gate">.*The comparison is anecdotal/);

  const noGate = await runCli([CTRF, ...NOTHING, '--baseline', BASELINE, '--regression-alpha', '0.2']);
  expect(noGate.exitCode).toBe(0);
  expect(noGate.stdout).toContain('alpha 0.2');
});

test('a baseline that does not exist: exit 2 with one line, no trial run', async () => {
  const r = await runCli([CTRF, ...NOTHING, '--baseline', '/nonexistent/job']);
  expect(r.exitCode).toBe(2);
  expect(r.stderr.trim().split('\n')).toEqual([
    expect.stringMatching(/^tb2: baseline: \/nonexistent\/job does not exist \(expected /),
  ]);
  expect(trialResults(r.out)).toEqual([]);
});
