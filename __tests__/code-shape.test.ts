// The shape of the code: every runtime dependency is imported by src/ (a dependency nothing
// uses is dead weight in every install), nothing in src/ imports a dev dependency, and no
// source file outgrows what one name can say.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const sources = (readdirSync(path.join(root, 'src'), { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(path.join(root, 'src', f), 'utf8'))
  .join('\n');
const imported = new Set(
  [...sources.matchAll(/(?:from\s+|import\()\s*'([^'.][^']*)'/g)]
    .map((m) => m[1])
    .filter((s) => !s.startsWith('node:'))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0])),
);

test.each(Object.keys(pkg.dependencies))('runtime dependency %s is imported by src/', (dep) => {
  expect(imported.has(dep)).toBe(true);
});

test('src/ imports only runtime dependencies', () => {
  expect([...imported].filter((d) => !(d in pkg.dependencies)).sort()).toEqual([]);
});

test('no file in src/ is over 250 lines (files are named for what they hold)', () => {
  const long = (readdirSync(path.join(root, 'src'), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .map((f) => [f, readFileSync(path.join(root, 'src', f), 'utf8').split('\n').length - 1] as const)
    .filter(([, n]) => n > 250);
  expect(long).toEqual([]);
});
