// A trial that printed 300 MB (issue 15): the bundled `tb2 report` streams its logs, so the
// page stays a few hundred KB, says where the output was cut, and the process stays within a
// small heap (run here with --max-old-space-size=64; its peak RSS is printed for BENCHMARKS.md).
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI } from './helpers/cli.js';
import { elements, externalLoads } from './helpers/html-check.js';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const MB = 1024 * 1024;

async function writeLines(file: string, totalBytes: number, first: string, line: (i: number) => string, last: string) {
  const out = createWriteStream(file);
  out.write(first + '\n');
  let chunk = '';
  for (let i = 0; chunk.length < MB; i++) chunk += line(i) + '\n';
  for (let n = 0; n < totalBytes; n += chunk.length) if (!out.write(chunk)) await once(out, 'drain');
  out.end(last + '\n');
  await once(out, 'finish');
}

let job: string;
beforeAll(async () => {
  job = path.join(await mkdtemp(path.join(tmpdir(), 'tb2-report-big-')), 'job');
  // A Harbor trial whose agent printed 300 MB of plain lines.
  await cp(path.join(fixtures, 'harbor-job', 'hello-world__AbC3dEf'), path.join(job, 'hello-world__AbC3dEf'), {
    recursive: true,
  });
  await writeLines(
    path.join(job, 'hello-world__AbC3dEf', 'agent', 'claude-code.txt'),
    300 * MB,
    'FIRST LINE OF THE FLOOD',
    (i) => `flood line ${i} ${'x'.repeat(80)}`,
    'LAST LINE OF THE FLOOD',
  );
  // One of ours whose agent sent 60 MB of messages (events.jsonl caps output lines, not messages).
  const ours = path.join(job, 'ctrf-report__bturq20');
  await cp(path.join(fixtures, 'results', 'multi', 'ctrf-report__bturq20'), ours, { recursive: true });
  const ev = (o: object) =>
    JSON.stringify({ trial_name: 'ctrf-report__bturq20', at: '2026-11-25T22:27:48.000Z', ...o });
  await writeLines(
    path.join(ours, 'events.jsonl'),
    60 * MB,
    ev({ type: 'phase_start', phase: 'agent' }),
    (i) => ev({ type: 'agent_message', message: { kind: 'text', text: `message ${i} ${'y'.repeat(200)}` } }),
    ev({ type: 'error', exception_type: 'AgentTimeoutError', message: 'the agent ran out of time', fatal: true }),
  );
}, 120_000);

afterAll(() => rm(path.dirname(job), { recursive: true, force: true }));

test('a 300 MB log makes a page of a few hundred KB; memory stays bounded', async () => {
  const rssProbe = `data:text/javascript,process.on("exit",()=>process.stderr.write("maxrss_kb="+process.resourceUsage().maxRSS+"\\n"))`;
  const started = Date.now();
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
    execFile(
      process.execPath,
      ['--max-old-space-size=64', `--import=${rssProbe}`, CLI, 'report', job],
      { timeout: 240_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve({ stdout, stderr })),
    ),
  );
  const sec = (Date.now() - started) / 1000;
  const rssKb = Number(/maxrss_kb=(\d+)/.exec(stderr)![1]);
  expect(stdout).toContain('2 trial(s)');
  const page = path.join(job, 'report.html');
  const bytes = (await stat(page)).size;
  process.stdout.write(
    `report-big: 360 MB of logs -> ${bytes} bytes of page in ${sec.toFixed(1)} s, peak RSS ${(rssKb / 1024).toFixed(0)} MB\n`,
  );
  expect(bytes).toBeLessThan(4 * MB);
  expect(rssKb).toBeLessThan(200 * 1024);
  const html = await readFile(page, 'utf8');
  expect(externalLoads(html)).toEqual([]);
  const items = elements(html).filter((e) => e.tag === 'li');
  const text = items.map((e) => e.text);
  expect(text).toContain('FIRST LINE OF THE FLOOD');
  expect(text).toContain('LAST LINE OF THE FLOOD');
  // The error after 60 MB of messages is still there, marked as a timeout.
  expect(items.some((e) => e.attrs.class === 'timeout' && e.text.includes('the agent ran out of time'))).toBe(true);
  expect(items.filter((e) => e.attrs.class === 'cut').map((e) => e.text)).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/output lines cut here/),
      expect.stringMatching(/more messages, tool calls and notes cut/),
    ]),
  );
}, 300_000);
