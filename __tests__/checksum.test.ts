// Harbor's task_checksum is `dirhash(task_dir, "sha256")` (https://github.com/andhus/dirhash):
// a fixed vector, then equality with the reference (Debian's python3-dirhash, installed
// by scripts/reference-tools.sh) on trees built to hit each rule of the walk.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { taskChecksum } from '../src/task/checksum.js';

const PY = '/usr/bin/python3';
const SCRIPT = 'import dirhash,sys; print(dirhash.dirhash(sys.argv[1], "sha256"))';
let hasReference: boolean | undefined;

/** The reference tool's checksum of `dir`; fails (never skips) when it is not installed. */
function reference(dir: string): string {
  hasReference ??= spawnSync(PY, ['-c', 'import dirhash'], { stdio: 'ignore' }).status === 0;
  if (!hasReference) {
    throw new Error(`${PY} cannot import dirhash: run scripts/reference-tools.sh (installs python3-dirhash)`);
  }
  return execFileSync(PY, ['-c', SCRIPT, dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'checksum-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A fresh folder under the tmp root, filled by `fill`; files are `rel: content`, folders end in `/`. */
function tree(files: Record<string, string | Buffer>, fill?: (root: string) => void): string {
  const root = mkdtempSync(path.join(tmp, 'tree-'));
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(root, rel);
    if (rel.endsWith('/')) {
      mkdirSync(full, { recursive: true });
    } else {
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
  }
  fill?.(root);
  return root;
}

test('Harbor vector: a small task with an empty folder', async () => {
  const dir = tree({
    'task.toml': 'version = "1.0"\n',
    'instruction.md': 'Say hi.\n',
    'tests/test.sh': '#!/bin/bash\necho 1 > /logs/verifier/reward.txt\n',
    'environment/Dockerfile': 'FROM debian:bookworm\n',
    'empty/': '',
  });
  expect(await taskChecksum(dir)).toBe('357483fbb7d685d34d6dc98c3563408384e257404695e9c2ec54e68e15263d47');
});

// Every file in `same` has one content, so descriptors tie on the hash and names decide the order.
const same = (names: string[]): Record<string, string> => Object.fromEntries(names.map((n) => [n, 'same\n']));
const outside = tree({ 'shared.txt': 'outside the task\n', 'lib/': '', 'lib/mod.py': 'x = 1\n' });

const cases: [string, () => string][] = [
  ['nested folders', () => tree({ 'a/b/c/deep.txt': 'deep\n', 'a/top.txt': 'top\n', 'b/x': 'x', 'b/y/z': 'z' })],
  ['empty files', () => tree({ empty: '', e2: '', 'sub/empty': '', 'sub/also-empty': '', 'sub/full': 'f' })],
  ['a folder holding only an empty folder', () => tree({ f: 'f\n', 'only/empty/': '', 'x/y/z/': '' })],
  [
    'non-ASCII, mixed-case and sort-subtle names',
    () =>
      tree({
        ...same(['Zeta', 'alpha', 'A', 'émoji-✓.txt', 'a.b', 'a-b', 'a_b', 'a b', 'a0', 'ab']),
        // U+FF5A sorts before U+1F600 by code point, after it by UTF-16 code unit
        ...same(['\uff5a', '\u{1f600}', '\uffff-last-bmp', 'e\u0301-nfd', '\u00e9-nfc', '\ufeffbom']),
        'a/b': 'same\n', // folder `a` and folder `a.b.d` tie on their dirhash
        'a.b.d/b': 'same\n',
      }),
  ],
  ['dot-files', () => tree({ '.env': 'A=1\n', '.dir/.x': 'x', '..dots': 'd', '.empty/': '', visible: 'v' })],
  [
    'symlinks to a file and to a folder, inside and outside the tree',
    () =>
      tree({ 'real/file.txt': 'real\n', 'real/sub/more': 'more\n', 'real/B/f': 'b\n' }, (root) => {
        symlinkSync('real/file.txt', path.join(root, 'file-link'));
        symlinkSync('real', path.join(root, 'dir-link'));
        symlinkSync('B', path.join(root, 'real', 'to-own-child')); // not a cycle
        symlinkSync(path.join(outside, 'shared.txt'), path.join(root, 'abs-file-link'));
        symlinkSync(path.join(outside, 'lib'), path.join(root, 'abs-dir-link'));
      }),
  ],
  [
    'a broken link and a FIFO are left out',
    () =>
      tree({ f: 'f\n' }, (root) => {
        symlinkSync('nowhere', path.join(root, 'broken'));
        execFileSync('mkfifo', [path.join(root, 'fifo')]);
      }),
  ],
  ['a larger file (over 3 MiB, not chunk-aligned)', () => tree({ 'big.bin': randomBytes(3 * 2 ** 20 + 17), s: 's' })],
];

test.each(cases)('matches the reference: %s', async (_name, build) => {
  const dir = build();
  expect(await taskChecksum(dir)).toBe(reference(dir));
});

test('a cyclic symlink is an error naming the link', async () => {
  const dir = tree({ 'A/f': 'f\n' }, (root) => symlinkSync('..', path.join(root, 'A', 'up')));
  await expect(taskChecksum(dir)).rejects.toThrow(
    new RegExp(`Symlink recursion: ${path.join(dir, 'A', 'up')} links back to ${dir}`),
  );
});

test('a folder with no file anywhere is an error, as in the reference', async () => {
  const dir = tree({ 'x/y/': '', 'z/': '' });
  await expect(taskChecksum(dir)).rejects.toThrow(/nothing to hash/);
});
