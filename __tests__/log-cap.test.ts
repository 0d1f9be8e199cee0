// What a cut raw log keeps after its head: the last line, whole, at a line boundary, also
// when the cut comes while that line is still being written.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { capLogs, keptTail } from '../src/trial/log-cap.js';

test.each<[string, string, boolean, string]>([
  ['the last complete line', 'xxxx\nline1\nresult\n', false, 'line1\nresult\n'.slice('line1\n'.length)],
  ['a line being written, with the complete one before it', 'xxxx\nline1\nres', false, 'line1\nres'],
  ['a line being written after the head only', 'xxxxxxxx\nres', false, 'res'],
  ['no boundary in reach: nothing', 'xxxxxxxxxxxx', false, ''],
  ['one complete line that starts before the window: nothing', 'xxxxxxxx\n', false, ''],
  ['the whole file is in the window', 'only line\n', true, 'only line\n'],
])('%s', (_n, text, whole, want) => expect(keptTail(text, whole)).toBe(want));

// Artifacts: cut only when the trial ends, so a separate verifier gets them whole first.
test('capLogs live: false leaves files whole until stop(), then cuts them with the note', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tb2-logcap-'));
  const file = path.join(dir, 'big.txt');
  writeFileSync(file, 'line\n'.repeat(2000));
  const cap = capLogs([dir], 1000, { live: false });
  await new Promise((r) => setTimeout(r, 700));
  expect(statSync(file).size).toBe(10_000);
  await cap.stop();
  const text = readFileSync(file, 'utf8');
  expect(text.length).toBeLessThan(1200);
  expect(text).toMatch(/\[tb2: output cut at 1000 bytes; at least \d+ more bytes were dropped\]\n$/);

  // The default polls: the same file is cut while the cap runs.
  writeFileSync(file, 'line\n'.repeat(2000));
  const live = capLogs([dir], 1000);
  await new Promise((r) => setTimeout(r, 700));
  expect(statSync(file).size).toBeLessThan(1200);
  await live.stop();
});
