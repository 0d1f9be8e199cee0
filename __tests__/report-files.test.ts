// Scrubbing secrets from a job folder, and artifact names: real files in a temp dir.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { defaultArtifactName, filesToUpload, uploadJobFolder } from '../src/action/artifacts.js';
import { redactor, scrubFolder, scrubStream, secretsToScrub } from '../src/report/scrub.js';
import { tempDir } from './helpers/cli.js';

const KEY = 'sk-ant-api03-abcdefghijklmnop';

describe('scrub', () => {
  test('secretsToScrub: known variables and extras, long enough, longest first', () => {
    expect(
      secretsToScrub({ ANTHROPIC_API_KEY: KEY, CLAUDE_CODE_OAUTH_TOKEN: 'short', OTHER: 'not-a-secret-name' }, [
        'another-long-secret',
        undefined,
        KEY,
      ]),
    ).toEqual([KEY, 'another-long-secret']);
    // Every provider's key, and any variable named like a credential (an --agent-env token).
    expect(
      secretsToScrub({
        OPENAI_API_KEY: 'sk-openai-1234567890',
        GEMINI_API_KEY: 'gemini-key-12345',
        MY_SERVICE_TOKEN: 'tok-abcdefghij',
        GITHUB_TOKEN: 'ghs_0123456789',
        OPENAI_BASE_URL: 'http://127.0.0.1:9999/v1',
        TOKENIZER: 'not-a-credential',
      }).sort(),
    ).toEqual(['ghs_0123456789', 'gemini-key-12345', 'sk-openai-1234567890', 'tok-abcdefghij'].sort());
  });

  test('a secret split across every possible chunk boundary is still replaced', async () => {
    const text = `a${KEY}b${KEY}${KEY}c`;
    for (let size = 1; size <= text.length; size++) {
      const chunks = Array.from({ length: Math.ceil(text.length / size) }, (_, i) =>
        Buffer.from(text.slice(i * size, (i + 1) * size)),
      );
      let hits = 0;
      const out = await buffer(Readable.from(chunks).pipe(scrubStream([KEY, 'zz-other-secret'], () => hits++)));
      expect(out.toString()).toBe('a***b******c');
      expect(hits).toBe(3);
    }
  });

  test('scrubFolder rewrites only files holding a secret, in nested folders, keeping the mode', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 't', 'agent'), { recursive: true });
    writeFileSync(path.join(dir, 't', 'agent', 'log.txt'), `x\n${'y'.repeat(3_000_000)}${KEY}\n`, { mode: 0o640 });
    writeFileSync(path.join(dir, 'clean.json'), '{}');
    const report = await scrubFolder(dir, [KEY]);
    expect(report).toEqual({ files: 2, replaced: 1, unscrubbable: [] });
    const log = readFileSync(path.join(dir, 't', 'agent', 'log.txt'), 'utf8');
    expect(log.endsWith('y***\n')).toBe(true);
    expect(await filesToUpload(dir)).toEqual([path.join(dir, 'clean.json'), path.join(dir, 't', 'agent', 'log.txt')]);
  });

  test('a file that holds a secret but cannot be rewritten is reported, so it is never uploaded', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'leak.txt'), KEY);
    writeFileSync(path.join(dir, 'fine.txt'), 'ok');
    // A folder where the rewrite's temporary file would go: the rewrite fails, even as root.
    for (const f of ['leak.txt', 'fine.txt']) mkdirSync(path.join(dir, `${f}.tb2-scrub`));
    const report = await scrubFolder(dir, [KEY]);
    expect(report.unscrubbable).toEqual([path.join(dir, 'leak.txt')]);
    expect(readFileSync(path.join(dir, 'leak.txt'), 'utf8')).toBe(KEY);
    expect(await filesToUpload(dir, report.unscrubbable)).toEqual([path.join(dir, 'fine.txt')]);
  });

  test('redactor for strings', () => {
    expect(redactor([KEY])(`{"line":"key=${KEY}"}`)).toBe('{"line":"key=***"}');
    expect(redactor([])('unchanged')).toBe('unchanged');
  });
});

describe('artifact names', () => {
  const base = { tasks: ['examples/tasks/hello-world'], agent: 'oracle', job: 'bench', runAttempt: '2' };
  test.each([
    ['no matrix', { matrix: 'null' }, 'tb2-hello-world-oracle-bench-2'],
    ['several tasks', { tasks: ['a/x', 'b/y', 'c/z'], matrix: '' }, /^tb2-x\+2-[0-9a-f]{8}-oracle-bench-2$/],
    ['a matrix job', { matrix: '{"shard":1,"os":"linux"}' }, /^tb2-hello-world-oracle-bench-[0-9a-f]{8}-2$/],
  ])('%s', (_n, over, want) => {
    const name = defaultArtifactName({ ...base, ...over });
    if (typeof want === 'string') expect(name).toBe(want);
    else expect(name).toMatch(want);
    expect(name).not.toMatch(/[":<>|*?\r\n\\/]/);
  });

  test('each matrix job gets its own name; key order does not matter', () => {
    const of = (m: string) => defaultArtifactName({ ...base, matrix: m });
    expect(of('{"shard":1,"os":"linux"}')).toBe(of('{ "os": "linux", "shard": 1 }'));
    expect(of('{"shard":1,"os":"linux"}')).not.toBe(of('{"shard":2,"os":"linux"}'));
  });

  test('no runtime token: upload skipped with the reason, never thrown', async () => {
    expect(await uploadJobFolder(tempDir(), 'n', { env: {} })).toEqual({
      skipped: expect.stringContaining('ACTIONS_RUNTIME_TOKEN'),
    });
  });
});
