// Exec bits an unpacked package should have. npm marks only a package's `bin` entries
// executable when it installs one (https://docs.npmjs.com/cli/v10/configuring-npm/package-json#bin);
// a tarball may also ship programs it runs itself with their mode lost in packing (seen:
// qwen-code 0.24.4's vendored ripgrep, `vendor/ripgrep/x64-linux/rg`, mode 0644). Such a
// program cannot be fixed later: the package is mounted read-only. So after unpacking,
// what the package means to run gets x wherever it has r: its `bin` entries, and programs
// (ELF binaries or `#!` scripts) under a `bin/` or `ripgrep/` folder or named `rg`.
import { chmod, open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const PROGRAM_DIRS = new Set(['bin', 'ripgrep']);
const PROGRAM_NAMES = new Set(['rg']);

/** Where a package keeps what it runs (relative, POSIX separators). Pure. */
export function inProgramPlace(rel: string): boolean {
  const parts = rel.split('/');
  return PROGRAM_NAMES.has(parts.at(-1)!) || parts.slice(0, -1).some((p) => PROGRAM_DIRS.has(p));
}

/** ELF or a shebang script. */
async function isProgram(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(4), 0, 4, 0);
    const head = buffer.subarray(0, bytesRead);
    return head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])) || head.subarray(0, 2).toString() === '#!';
  } finally {
    await fh.close();
  }
}

/** package.json's `bin` (a string or a map) as paths relative to the package. */
async function binEntries(dir: string): Promise<string[]> {
  try {
    const bin = (JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { bin?: unknown }).bin;
    const list = typeof bin === 'string' ? [bin] : bin && typeof bin === 'object' ? Object.values(bin) : [];
    return list.filter((b): b is string => typeof b === 'string').map((b) => path.posix.normalize(b));
  } catch {
    return [];
  }
}

async function walk(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const d of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${d.name}` : d.name;
    if (d.isDirectory()) out.push(...(await walk(dir, r)));
    else if (d.isFile()) out.push(r);
  }
  return out;
}

/** Give x (where r is) to the package's programs under `dir`; returns the files changed. */
export async function restoreExecBits(dir: string): Promise<string[]> {
  const bins = new Set(await binEntries(dir));
  const changed: string[] = [];
  for (const rel of await walk(dir)) {
    if (!bins.has(rel) && !(inProgramPlace(rel) && (await isProgram(path.join(dir, rel))))) continue;
    const file = path.join(dir, rel);
    const mode = (await stat(file)).mode & 0o7777;
    const want = mode | ((mode & 0o444) >> 2);
    if (want !== mode) {
      await chmod(file, want);
      changed.push(rel);
    }
  }
  return changed;
}
