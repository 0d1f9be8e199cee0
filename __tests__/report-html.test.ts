// The HTML report (issue 15) on fixture jobs, ours and Harbor's: content in the DOM (parsed
// with parse5), nothing that loads from elsewhere, hostile strings escaped, transcripts capped.
import { cp, mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { reportCommand, writeReport } from '../src/commands/report.js';
import { DEFAULT_LIMITS, limitsFor, TranscriptBuilder } from '../src/report/html/transcript.js';
import { duration, headlinePassAtK } from '../src/report/html/page.js';
import { parseCli } from '../src/config/cli-args.js';
import { elements, externalLoads } from './helpers/html-check.js';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const tmp = () => mkdtemp(path.join(tmpdir(), 'tb2-report-'));

async function reportOf(dir: string): Promise<string> {
  const out = await reportCommand(dir);
  expect(out.path).toBe(path.join(dir, 'report.html'));
  return readFile(out.path, 'utf8');
}

const rowsOf = (html: string) => elements(html).filter((e) => e.tag === 'tr' && (e.attrs.id ?? '').startsWith('row-'));

describe('a Harbor job folder', () => {
  let html: string;
  beforeAll(async () => {
    const dir = path.join(await tmp(), 'harbor-job');
    await cp(path.join(fixtures, 'harbor-job'), dir, { recursive: true });
    html = await reportOf(dir);
  });

  test('loads nothing from outside itself', () => {
    expect(externalLoads(html)).toEqual([]);
    expect(html).not.toMatch(/https?:\/\//);
  });

  test('headline: solved, mean reward, pass@k, cost, duration', () => {
    const head = elements(html).find((e) => e.attrs.id === 'headline')!.text;
    expect(head).toContain('3/4');
    expect(head).toMatch(/0\.75\s*mean reward/);
    expect(head).toContain('pass@2');
    expect(head).toMatch(/\$0\.\d{4}\s*cost/);
    expect(head).toMatch(/min .* s\s*duration|\d+\.\d s\s*duration/);
  });

  test('a table row per trial with task, attempt, status, reward, tests, duration, tokens, cost, error', () => {
    const rows = rowsOf(html);
    expect(rows).toHaveLength(4);
    const texts = rows.map((r) => r.text);
    expect(texts.filter((t) => t.startsWith('hello-world'))).toHaveLength(2);
    const timedOut = texts.find((t) => t.includes('AgentTimeoutError'))!;
    expect(timedOut).toMatch(/^fix-git\s*\d\s*completed\s*0/);
    expect(texts.join('\n')).toMatch(/18,?342 in \/ 912 out|18342 in \/ 912 out/);
    expect(texts.join('\n')).toContain('$0.0213');
  });

  test("transcripts from Harbor's agent log, trial.log and verifier output; the timeout marked", () => {
    const items = elements(html).filter((e) => e.tag === 'li');
    expect(items.some((e) => e.attrs.class === 'message' && e.text.includes("I'll look at the task first."))).toBe(
      true,
    );
    expect(items.some((e) => e.attrs.class === 'timeout' && e.text.includes('AgentTimeoutError'))).toBe(true);
    expect(items.some((e) => e.text.includes('Agent execution timed out after 900.0 seconds'))).toBe(true);
    expect(items.some((e) => /output/.test(e.attrs.class ?? '') && e.text.includes('2 passed'))).toBe(true);
  });

  test('charts are inline SVG: reward by task, cost against reward, a phase bar per trial', () => {
    const els = elements(html);
    const captions = els.filter((e) => e.tag === 'figcaption').map((e) => e.text);
    expect(captions).toEqual(['Mean reward by task', 'Cost against reward']);
    expect(els.filter((e) => e.tag === 'svg' && e.attrs.class === 'phases')).toHaveLength(8); // table + section
    expect(els.filter((e) => e.tag === 'circle')).toHaveLength(4);
  });
});

describe('our job folder', () => {
  let html: string;
  beforeAll(async () => {
    const dir = path.join(await tmp(), 'multi');
    await cp(path.join(fixtures, 'results', 'multi'), dir, { recursive: true });
    html = await reportOf(dir);
  });

  test('statuses as in result.json and tests as passed/total', () => {
    const rows = rowsOf(html).map((r) => r.text);
    expect(rows).toHaveLength(6);
    expect(rows.some((t) => /examples\/ctrf-report\s*\d\s*completed\s*0\s*0\/3/.test(t))).toBe(true);
    expect(rows.filter((t) => /no-reward\s*\d\s*error\s*-.*RewardFileNotFoundError/.test(t))).toHaveLength(2);
  });

  test('a test table per trial with a row per test, its name and status', () => {
    const testRows = elements(html).filter((e) => e.tag === 'tr' && e.attrs.title !== undefined);
    const failed = testRows.filter((r) => r.attrs.class === 'failed');
    expect(failed.map((r) => r.text.split('failed')[0])).toEqual(
      expect.arrayContaining(['test_add', 'test_greet', 'test_done_marker']),
    );
  });

  test('the transcript from events.jsonl: phases, output lines, errors', () => {
    const items = elements(html).filter((e) => e.tag === 'li');
    expect(items.some((e) => e.attrs.class === 'phase' && e.text.includes('verifier started'))).toBe(true);
    expect(
      items.some((e) => (e.attrs.class ?? '').startsWith('output') && e.text.includes("No module named 'calc'")),
    ).toBe(true);
    expect(items.some((e) => e.attrs.class === 'error')).toBe(true);
    expect(externalLoads(html)).toEqual([]);
  });
});

describe('hostile strings', () => {
  const evil = `</script><img src=x onerror=alert(1)><svg><image href="https://evil.example/x.png"/></svg>"'&`;
  let html: string;
  beforeAll(async () => {
    const dir = path.join(await tmp(), 'hostile');
    const src = path.join(fixtures, 'results', 'fail', 'ctrf-report__svtyivq');
    const trial = path.join(dir, 'evil__abc1234');
    await mkdir(trial, { recursive: true });
    const r = JSON.parse(await readFile(path.join(src, 'result.json'), 'utf8'));
    r.task_name = `org/${evil}`;
    r.trial_name = 'evil__abc1234';
    r.tests[0].name = evil;
    r.tests[0].status = `failed" onmouseover="alert(1)`;
    r.exception_info = { exception_type: evil, exception_message: evil, occurred_at: r.started_at };
    await writeFile(path.join(trial, 'result.json'), JSON.stringify(r));
    const line = (o: object) => JSON.stringify({ trial_name: 'evil__abc1234', at: r.started_at, ...o });
    await writeFile(
      path.join(trial, 'events.jsonl'),
      [
        line({ type: 'output', phase: 'agent', line: evil }),
        line({ type: 'agent_message', message: { kind: 'tool_use', name: evil, gist: evil } }),
        line({ type: 'error', exception_type: evil, message: evil, fatal: true }),
        '{not json',
      ].join('\n'),
    );
    html = await reportOf(dir);
  });

  test('are text, never markup: one script (ours), no img, no event handler, no image', () => {
    expect(externalLoads(html)).toEqual([]);
    const els = elements(html);
    expect(els.filter((e) => e.tag === 'script')).toHaveLength(1);
    expect(els.filter((e) => e.tag === 'img' || e.tag === 'image')).toHaveLength(0);
    expect(html.match(/<\/script>/gi)).toHaveLength(1);
    const texts = els.map((e) => e.text).join('\n');
    expect(texts).toContain(`org/${evil}`); // shown, as text
    expect(els.filter((e) => e.tag === 'li').filter((e) => e.text.includes(evil)).length).toBeGreaterThanOrEqual(3);
  });
});

test('a trial that printed 10^6 lines keeps its head and tail and says where it was cut', () => {
  const b = new TranscriptBuilder({ headLines: 3, tailLines: 2, maxEntries: 5, maxLineChars: 12, maxTextChars: 20 });
  b.add({ kind: 'phase', text: 'agent started' });
  for (let i = 0; i < 1_000_000; i++) b.add({ kind: 'output', text: `line ${i}` });
  b.add({ kind: 'error', text: 'x'.repeat(50) });
  const es = b.entries();
  expect(es.map((e) => e.text.slice(0, 12))).toEqual([
    'agent starte',
    'line 0',
    'line 1',
    'line 2',
    expect.stringContaining('… 999,995 of'),
    'line 999998',
    'line 999999',
    'xxxxxxxxxxxx',
  ]);
  expect(es.at(-1)!.text).toContain('[30 more characters cut]');
});

test('tb2 report takes exactly one folder; a missing one is a usage error naming it', async () => {
  expect(parseCli(['report', 'jobs/x'])).toEqual({ kind: 'report', dir: 'jobs/x', regressionAlpha: 0.05 });
  expect(parseCli(['report', 'jobs/x', '--baseline', 'main/', '--regression-alpha', '0.1'])).toEqual({
    kind: 'report',
    dir: 'jobs/x',
    baseline: 'main/',
    regressionAlpha: 0.1,
  });
  expect(() => parseCli(['report', 'jobs/x', '--regression-alpha', '2'])).toThrow(/--regression-alpha/);
  expect(() => parseCli(['report'])).toThrow(/exactly one job folder/);
  expect(() => parseCli(['report', 'a', '--output', 'b'])).toThrow(/--output: not an option of tb2 report/);
  await expect(reportCommand('/nonexistent/job')).rejects.toThrow('/nonexistent/job: not a folder');
});

test('aggregate-style inputs: several folders, the job result given', async () => {
  const dir = await tmp();
  const out = await writeReport({
    inputs: [path.join(fixtures, 'results', 'multi'), path.join(fixtures, 'harbor-job')],
    outFile: path.join(dir, 'report.html'),
  });
  expect(out.trials).toBe(10);
  const html = await readFile(out.path, 'utf8');
  expect(rowsOf(html)).toHaveLength(10);
  expect(html).toContain('(4 Harbor trial(s))');
});

test('durations in whole units', () => {
  expect([42, 59.97, 185, 7620, 134041 * 60].map(duration)).toEqual([
    '42.0 s',
    '1 min 00 s',
    '3 min 05 s',
    '2 h 07 min',
    '2234 h 01 min',
  ]);
});

test('jobs of many trials share the page weight of 20 capped trials, down to a fifth of the caps', () => {
  expect(limitsFor(1)).toEqual(DEFAULT_LIMITS);
  expect(limitsFor(20)).toEqual(DEFAULT_LIMITS);
  expect(limitsFor(40)).toMatchObject({ headLines: 50, tailLines: 75, maxEntries: 200 });
  expect(limitsFor(10_000)).toMatchObject({ headLines: 20, tailLines: 30, maxEntries: 80, maxLineChars: 1000 });
});

test('the headline shows pass@1, 2, 3, 5, 10 and the largest k only', () => {
  const all = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [String(i + 1), 1]));
  expect(headlinePassAtK(all).map(([k]) => k)).toEqual(['1', '2', '3', '5', '10', '50']);
  expect(headlinePassAtK({})).toEqual([]);
});
