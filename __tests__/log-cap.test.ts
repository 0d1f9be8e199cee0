// What a cut raw log keeps after its head: the last line, whole, at a line boundary, also
// when the cut comes while that line is still being written.
import { keptTail } from '../src/trial/log-cap.js';

test.each<[string, string, boolean, string]>([
  ['the last complete line', 'xxxx\nline1\nresult\n', false, 'line1\nresult\n'.slice('line1\n'.length)],
  ['a line being written, with the complete one before it', 'xxxx\nline1\nres', false, 'line1\nres'],
  ['a line being written after the head only', 'xxxxxxxx\nres', false, 'res'],
  ['no boundary in reach: nothing', 'xxxxxxxxxxxx', false, ''],
  ['one complete line that starts before the window: nothing', 'xxxxxxxx\n', false, ''],
  ['the whole file is in the window', 'only line\n', true, 'only line\n'],
])('%s', (_n, text, whole, want) => expect(keptTail(text, whole)).toBe(want));
