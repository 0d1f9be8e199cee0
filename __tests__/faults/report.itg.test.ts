// Fault suite, the HTML report (issue 15): an agent and a task that try to break out of the
// page through `tb2 run`'s own report.html, a secret the agent printed, and `tb2 report` on a
// folder of broken files or on no folder at all.
import { execa } from 'execa';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, tempDir } from '../helpers/cli.js';
import { elements, externalLoads } from '../helpers/html-check.js';
import { openInChromium } from '../helpers/chromium.js';
import { expectNothingLeft, makeTask, startCli } from './kit.js';

const EVIL = `</script><script>console.error("pwned")</script><img src=x onerror="console.error(1)"><a href="javascript:alert(1)">x</a>`;
const KEY = 'sk-ant-api03-report-fault-0123456789abcdef';

describe('reports', () => {
  test("hostile output and a printed key: tb2 run's report shows them as text, runs nothing, holds no key", async () => {
    const task = makeTask('fault-report-html');
    const s = startCli(
      [
        task,
        '--agent',
        'command',
        '--agent-command',
        `echo '${EVIL}'; echo "key=$ANTHROPIC_API_KEY"; mkdir -p /app && touch /app/hello.txt`,
      ],
      {
        env: { ANTHROPIC_API_KEY: KEY },
      },
    );
    const res = await s.child;
    expect(res.exitCode).toBe(0);
    expect(String(res.stdout)).toContain(`report: ${path.join(s.out, 'report.html')}`);
    const html = readFileSync(path.join(s.out, 'report.html'), 'utf8');
    expect(html).not.toContain(KEY);
    expect(externalLoads(html)).toEqual([]);
    const els = elements(html);
    expect(els.filter((e) => e.tag === 'script')).toHaveLength(1);
    expect(els.filter((e) => e.tag === 'li' && e.text === EVIL)).toHaveLength(1);
    expect(els.some((e) => e.tag === 'li' && e.text === 'key=***')).toBe(true);
    expect(els.some((e) => e.tag === 'a' && e.text === 'fault-report-html')).toBe(true);
    const { console } = await openInChromium(path.join(s.out, 'report.html'));
    expect(console).toEqual([]);
    await expectNothingLeft(s.runId);
  });

  test('tb2 report: broken files are listed on the page and on stderr, exit 0; no folder: exit 2, one line', async () => {
    const dir = tempDir('tb2-report-fault-');
    mkdirSync(path.join(dir, 'cut__abc1234', 'agent'), { recursive: true });
    writeFileSync(path.join(dir, 'cut__abc1234', 'result.json'), '{"task_name": "cut", "trial_na');
    mkdirSync(path.join(dir, 'bin__abc1234', 'agent'), { recursive: true });
    const fixture = path.join(
      import.meta.dirname,
      '..',
      'fixtures',
      'harbor-job',
      'hello-world__AbC3dEf',
      'result.json',
    );
    writeFileSync(path.join(dir, 'bin__abc1234', 'result.json'), readFileSync(fixture));
    writeFileSync(
      path.join(dir, 'bin__abc1234', 'agent', 'claude-code.txt'),
      Buffer.from([0, 255, 254, 10, 0x7b, 10, 0xc3]),
    );
    writeFileSync(path.join(dir, 'bin__abc1234', 'events.jsonl'), '{"type":"output","phase":"agent","line":\n[1,2]\n');
    const ok = await execa(process.execPath, [CLI, 'report', dir], { reject: false });
    expect(ok.exitCode).toBe(0);
    expect(String(ok.stderr)).toMatch(/cut__abc1234\/result\.json: unreadable or truncated JSON/);
    const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(html).toMatch(/Skipped files.*cut__abc1234\/result\.json: unreadable or truncated JSON/s);
    expect(elements(html).filter((e) => e.tag === 'tr' && (e.attrs.id ?? '').startsWith('row-'))).toHaveLength(1);
    const missing = await execa(process.execPath, [CLI, 'report', path.join(dir, 'nope')], { reject: false });
    expect(missing.exitCode).toBe(2);
    expect(String(missing.stderr).trim().split('\n')).toEqual([
      `tb2: ${path.join(dir, 'nope')}: not a folder (expected a job folder holding trial folders)`,
    ]);
  });
});
