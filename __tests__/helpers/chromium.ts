// Real headless Chromium (Debian's `chromium`, installed by scripts/reference-tools.sh) for
// the HTML report: the DOM after load (--dump-dom), a screenshot, and every console message
// (--enable-logging=stderr prints them as `INFO:CONSOLE` lines: uncaught errors and CSP
// violations among them). Each call gets its own profile folder: other worktrees run it too.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface Opened {
  dom: string;
  console: string[];
}

function run(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) =>
    execFile('chromium', args, { timeout: 90_000, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) =>
      err
        ? reject(
            new Error(
              `chromium failed (installed by scripts/reference-tools.sh?): ${err.message}\n${stderr.slice(-2000)}`,
            ),
          )
        : resolve({ stdout, stderr }),
    ),
  );
}

async function chromium(file: string, hash: string, extra: string[]): Promise<{ stdout: string; console: string[] }> {
  const profile = await mkdtemp(path.join(tmpdir(), 'tb2-chromium-'));
  try {
    const url = pathToFileURL(path.resolve(file)).href + hash;
    const { stdout, stderr } = await run([
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-extensions',
      `--user-data-dir=${profile}`,
      '--enable-logging=stderr',
      '--v=0',
      ...extra,
      url,
    ]);
    return { stdout, console: stderr.split('\n').filter((l) => l.includes(':CONSOLE')) };
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

export async function openInChromium(file: string, hash = '', extra: string[] = []): Promise<Opened> {
  const { stdout, console } = await chromium(file, hash, ['--dump-dom', ...extra]);
  return { dom: stdout, console };
}

export async function screenshot(
  file: string,
  png: string,
  size = '1280,1800',
): Promise<{ bytes: Buffer; width: number; height: number; console: string[] }> {
  const { console } = await chromium(file, '', [`--screenshot=${png}`, `--window-size=${size}`, '--hide-scrollbars']);
  const bytes = await readFile(png);
  // PNG: 8-byte signature, then the IHDR chunk: width and height as big-endian 32-bit integers.
  return { bytes, width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), console };
}
