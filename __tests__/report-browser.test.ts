// The HTML report opened in real headless Chromium (issue 15): no console message at all (no
// uncaught error, no blocked load), the DOM after load holds the task names, the trial rows
// and the test rows, the inline script runs under the page's CSP (it opens the trial a link
// points at), and a screenshot is a real picture of the page.
import { cp, mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { reportCommand } from '../src/commands/report.js';
import { elements } from './helpers/html-check.js';
import { openInChromium, screenshot } from './helpers/chromium.js';
import { Browser } from './helpers/cdp.js';
import { pathToFileURL } from 'node:url';

const fixtures = path.join(import.meta.dirname, 'fixtures');
let dir: string;
let report: string;
const evil = `</script><img src=x onerror="console.error('pwned')">`;

beforeAll(async () => {
  dir = path.join(await mkdtemp(path.join(tmpdir(), 'tb2-report-browser-')), 'job');
  await cp(path.join(fixtures, 'harbor-job'), dir, { recursive: true });
  await cp(path.join(fixtures, 'results', 'multi'), dir, { recursive: true });
  // A trial whose task name and output try to break out of the page.
  const src = path.join(fixtures, 'results', 'fail', 'ctrf-report__svtyivq');
  const r = JSON.parse(await readFile(path.join(src, 'result.json'), 'utf8'));
  await mkdir(path.join(dir, 'evil__x1'));
  await writeFile(
    path.join(dir, 'evil__x1', 'result.json'),
    JSON.stringify({ ...r, trial_name: 'evil__x1', task_name: evil }),
  );
  await writeFile(
    path.join(dir, 'evil__x1', 'events.jsonl'),
    JSON.stringify({ type: 'output', phase: 'agent', line: evil, trial_name: 'evil__x1', at: r.started_at }) + '\n',
  );
  report = (await reportCommand(dir)).path;
});

test('after load: no console message, every task and test row in the DOM, the script ran', async () => {
  const { dom, console } = await openInChromium(report, '#trial-2');
  expect(console).toEqual([]);
  const els = elements(dom);
  const rows = els.filter((e) => e.tag === 'tr' && (e.attrs.id ?? '').startsWith('row-'));
  expect(rows).toHaveLength(11);
  const text = rows.map((r) => r.text).join('\n');
  for (const task of ['hello-world', 'fix-git', 'examples/ctrf-report', 'no-reward', evil])
    expect(text).toContain(task);
  const failedTests = els.filter((e) => e.tag === 'tr' && e.attrs.class === 'failed' && e.attrs.title === 'failed');
  expect(failedTests.length).toBeGreaterThanOrEqual(6);
  expect(failedTests.map((e) => e.text)).toEqual(expect.arrayContaining([expect.stringContaining('test_add')]));
  // The hash named trial 2: the page's own script opened it (CSP let it run).
  expect(els.find((e) => e.attrs.id === 'trial-2')!.attrs.open).toBe('');
  expect(els.find((e) => e.attrs.id === 'trial-1')!.attrs.open).toBeUndefined();
  expect(els.filter((e) => e.tag === 'img')).toHaveLength(0);
});

test('a screenshot of the page is a real picture of it', async () => {
  const shot = await screenshot(report, path.join(path.dirname(dir), 'report.png'));
  expect(shot.console).toEqual([]);
  expect([shot.width, shot.height]).toEqual([1280, 1800]);
  // A blank page of that size compresses to a few KB; text, tables and charts do not.
  expect(shot.bytes.length).toBeGreaterThan(60_000);
});

test('over the DevTools protocol: clicking a column sorts the trials, up then down; nothing logged', async () => {
  const browser = Browser.launch();
  try {
    const evaluate = await browser.open(pathToFileURL(report).href);
    const column = (i: number) =>
      evaluate(`[...document.querySelectorAll('#trials tbody tr')].map((r) => r.cells[${i}].textContent)`) as Promise<
        string[]
      >;
    const click = (i: number) => evaluate(`document.querySelectorAll('#trials th')[${i}].click()`);
    const num = (xs: string[]) => xs.map((x) => (x === '-' ? -1 : Number(x)));
    await click(3); // Reward
    const up = num(await column(3));
    expect(up).toEqual([...up].sort((a, b) => a - b));
    expect(await evaluate(`document.querySelectorAll('#trials th')[3].getAttribute('aria-sort')`)).toBe('ascending');
    await click(3);
    const down = num(await column(3));
    expect(down).toEqual([...up].sort((a, b) => b - a));
    await click(0); // Task, as text
    const tasks = await column(0);
    expect(tasks).toEqual([...tasks].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
    expect(tasks).toHaveLength(11);
    expect(browser.messages).toEqual([]);
  } finally {
    await browser.close();
  }
});

test('the probe can fail: it sees a console call, an uncaught exception and a blocked load', async () => {
  const bad = path.join(path.dirname(dir), 'bad.html');
  await writeFile(
    bad,
    `<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'"><img src="https://example.invalid/x.png"><script>console.log("hi"); null.x;</script>`,
  );
  const browser = Browser.launch();
  try {
    await browser.open(pathToFileURL(bad).href);
    await new Promise((r) => setTimeout(r, 300));
    expect(browser.messages).toEqual(
      expect.arrayContaining([
        'console.log: hi',
        expect.stringMatching(/^exception: TypeError: Cannot read properties of null/),
        expect.stringMatching(/^log\.error \(security\): .*violates the following Content Security Policy/),
      ]),
    );
  } finally {
    await browser.close();
  }
  const { console } = await openInChromium(bad);
  expect(console.length).toBeGreaterThanOrEqual(2);
});
