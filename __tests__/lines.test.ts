import { LineSplitter } from '../src/stream/lines.js';

function split(chunks: Array<string | Buffer>, max?: number): string[] {
  const out: string[] = [];
  const s = new LineSplitter((l) => out.push(l), max);
  for (const c of chunks) s.push(c);
  s.end();
  return out;
}

describe('LineSplitter', () => {
  test('reassembles lines split across chunks', () => {
    expect(split(['{"a":', '1}\n{"b"', ':2}\n'])).toEqual(['{"a":1}', '{"b":2}']);
  });
  test('keeps a last line with no newline, drops CR of CRLF', () => {
    expect(split(['a\r\nb'])).toEqual(['a', 'b']);
  });
  test('multi-byte characters split between chunks', () => {
    const buf = Buffer.from('héllo\n');
    expect(split([buf.subarray(0, 2), buf.subarray(2)])).toEqual(['héllo']);
  });
  test('cuts a huge line and marks it, then goes on', () => {
    const out = split(['x'.repeat(100), 'y'.repeat(100), '\nnext\n'], 50);
    expect(out[0].startsWith('x'.repeat(50))).toBe(true);
    expect(out[0]).toContain('line cut at 50');
    expect(out[1]).toBe('next');
  });
  test('invalid UTF-8 does not throw', () => {
    expect(split([Buffer.from([0xff, 0xfe, 0x0a, 0x41])])).toEqual(['\ufffd\ufffd', 'A']);
  });
});

describe('the error line of docker stderr', () => {
  test('prefers the daemon error over the trailing help hint', async () => {
    const { lastLine } = await import('../src/docker/cli.js');
    const stderr =
      "docker: Error response from daemon: failed to create endpoint: could not find bridge docker0.\nSee 'docker run --help'.\n";
    expect(lastLine(stderr)).toBe(
      'docker: Error response from daemon: failed to create endpoint: could not find bridge docker0.',
    );
    expect(lastLine("Step 2/2 : RUN exit 7\nThe command '/bin/sh -c exit 7' returned a non-zero code: 7\n")).toBe(
      "The command '/bin/sh -c exit 7' returned a non-zero code: 7",
    );
    expect(lastLine('')).toBe('');
  });
});
