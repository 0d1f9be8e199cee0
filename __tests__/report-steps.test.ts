// A multi-step trial in the HTML report (issues 14 × 15): a row per step that ran with its
// reward, verifier mode and error, why the trial stopped, and — for a Harbor trial folder,
// which keeps each step's agent/ and verifier/ under steps/<name>/ — their transcripts and
// tests. Our own trials get step marks from events.jsonl.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { reportCommand } from '../src/commands/report.js';
import { entriesOfEvent } from '../src/report/html/from-events.js';
import { elements } from './helpers/html-check.js';

const fixtures = path.join(import.meta.dirname, 'fixtures');

test("a Harbor multi-step trial: its steps table, and each step's transcript and tests", async () => {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), 'tb2-report-steps-')), 'job');
  await cp(path.join(fixtures, 'harbor-job'), dir, { recursive: true });
  const trial = path.join(dir, 'hello-world__AbC3dEf');
  const file = path.join(trial, 'result.json');
  const r = JSON.parse(await readFile(file, 'utf8'));
  r.step_results = [
    { step_name: 'build', verifier_result: { rewards: { reward: 1 } }, exception_info: null },
    {
      step_name: 'ship',
      verifier_result: { rewards: { reward: 0 } },
      exception_info: { exception_type: 'AgentTimeoutError', exception_message: 'ship <took> too long' },
    },
  ];
  await writeFile(file, JSON.stringify(r));
  // Harbor moves the root agent/ and verifier/ into the steps' folders.
  await rm(path.join(trial, 'agent'), { recursive: true });
  await rm(path.join(trial, 'verifier'), { recursive: true });
  for (const [step, ok] of [
    ['build', true],
    ['ship', false],
  ] as const) {
    await mkdir(path.join(trial, 'steps', step, 'agent'), { recursive: true });
    await mkdir(path.join(trial, 'steps', step, 'verifier'), { recursive: true });
    await writeFile(path.join(trial, 'steps', step, 'agent', 'agent.txt'), `working on ${step}\n`);
    await writeFile(path.join(trial, 'steps', step, 'verifier', 'test-stdout.txt'), `verifying ${step}\n`);
    await writeFile(
      path.join(trial, 'steps', step, 'verifier', 'ctrf.json'),
      JSON.stringify({
        results: { tool: { name: 'pytest' }, tests: [{ name: `test_${step}`, status: ok ? 'passed' : 'failed' }] },
      }),
    );
  }
  const html = await readFile((await reportCommand(dir)).path, 'utf8');
  const els = elements(html);
  const steps = els.find((e) => e.tag === 'table' && e.attrs.class === 'steps')!;
  expect(steps.text).toMatch(/^Steps: 2/);
  expect(steps.text).toContain('1. build1');
  expect(steps.text).toContain('2. ship0');
  expect(steps.text).toContain('AgentTimeoutError: ship <took> too long');
  const items = els.filter((e) => e.tag === 'li').map((e) => e.text);
  expect(items.some((t) => t.includes('working on build'))).toBe(true);
  expect(items.some((t) => t.includes('verifying ship'))).toBe(true);
  const tests = els.filter((e) => e.tag === 'tr' && e.attrs.title !== undefined).map((e) => e.text);
  expect(tests).toEqual(expect.arrayContaining(['build: test_buildpassed-', 'ship: test_shipfailed-']));
});

test('our step events become marks in the transcript', () => {
  expect(entriesOfEvent({ type: 'step_start', index: 2, total: 3, strategy: 'mean', step: 'ship' })).toEqual([
    { kind: 'phase', text: 'step 2/3 "ship" started', at: undefined },
  ]);
  expect(entriesOfEvent({ type: 'step_end', reward: 0, stopped: 'reward=0 below min_reward 1', step: 'ship' })).toEqual(
    [{ kind: 'phase', ok: true, text: 'step "ship" ended: reward 0; reward=0 below min_reward 1', at: undefined }],
  );
});
