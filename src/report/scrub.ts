// Secrets never leave the runner in a file: before anything is uploaded (and before the
// CLI exits), every file in the job folder is rewritten with each secret value replaced,
// in case the agent printed its key. Streaming, on bytes, with a carry of one secret's
// length across chunk boundaries, so a file of any size costs a few MB of memory.
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export const REDACTED = '***';
/** Variables whose values are secrets wherever they appear (also the action's key inputs). */
export const SECRET_ENV_NAMES = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'CLAUDE_CODE_OAUTH_TOKEN',
  'OPENAI_API_KEY',
  'CODEX_API_KEY',
  'GEMINI_API_KEY',
  'GOOGLE_API_KEY',
  'OPENCODE_API_KEY',
  'QWEN_API_KEY',
  'DASHSCOPE_API_KEY',
];
/** Any other variable named like a credential (a provider's key given with --agent-env, GITHUB_TOKEN…). */
const SECRET_NAME = /(^|_)(API_KEY|ACCESS_KEY|AUTH_TOKEN|TOKEN|SECRET|SECRET_KEY|PASSWORD)$/;
/** Shorter values would scrub ordinary words; real keys are far longer. */
const MIN_SECRET_LENGTH = 8;

export function secretsToScrub(env: NodeJS.ProcessEnv, extra: Array<string | undefined> = []): string[] {
  const names = Object.keys(env).filter((n) => SECRET_ENV_NAMES.includes(n) || SECRET_NAME.test(n));
  const values = [...names.map((n) => env[n]), ...extra]
    .map((v) => v?.trim())
    .filter((v): v is string => !!v && v.length >= MIN_SECRET_LENGTH);
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

/** For strings on their way to a file or the log. */
export function redactor(secrets: string[]): (s: string) => string {
  if (!secrets.length) return (s) => s;
  return (s) => secrets.reduce((acc, secret) => acc.split(secret).join(REDACTED), s);
}

/** Replace every secret in a byte stream. */
export function scrubStream(secrets: string[], onHit: () => void): Transform {
  const needles = secrets.map((s) => Buffer.from(s, 'utf8'));
  const replacement = Buffer.from(REDACTED);
  const keep = Math.max(0, ...needles.map((n) => n.length)) - 1;
  let carry = Buffer.alloc(0);
  const process = (buf: Buffer, final: boolean, push: (b: Buffer) => void): Buffer => {
    // Matches starting before `safe` are complete in buf; bytes after it may begin one.
    const safe = final ? buf.length : buf.length - keep;
    let pos = 0;
    for (;;) {
      let at = -1;
      let len = 0;
      for (const n of needles) {
        const i = buf.indexOf(n, pos);
        if (i >= 0 && i < safe && (at < 0 || i < at)) [at, len] = [i, n.length];
      }
      if (at < 0) break;
      push(buf.subarray(pos, at));
      push(replacement);
      onHit();
      pos = at + len;
    }
    const flushTo = Math.max(pos, safe);
    push(buf.subarray(pos, flushTo));
    return buf.subarray(flushTo);
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      carry = Buffer.from(process(Buffer.concat([carry, chunk]), false, (b) => b.length && this.push(b)));
      done();
    },
    flush(done) {
      process(carry, true, (b) => b.length && this.push(b));
      done();
    },
  });
}

export interface ScrubReport {
  files: number;
  replaced: number;
  /** Files that held a secret (or could not be read) and could not be rewritten: never upload them. */
  unscrubbable: string[];
}

/** Rewrite every regular file under `dir` without the secrets (symlinks are not followed). */
export async function scrubFolder(dir: string, secrets: string[]): Promise<ScrubReport> {
  const report: ScrubReport = { files: 0, replaced: 0, unscrubbable: [] };
  if (!secrets.length) return report;
  const entries = await readdir(dir, { recursive: true });
  for (const rel of entries) {
    const file = path.join(dir, rel);
    const st = await lstat(file).catch(() => undefined);
    if (!st?.isFile()) continue;
    report.files++;
    const tmp = `${file}.tb2-scrub`;
    let hits = 0;
    try {
      await pipeline(
        createReadStream(file),
        scrubStream(secrets, () => hits++),
        createWriteStream(tmp, { mode: st.mode & 0o777 }),
      );
      if (hits) await rename(tmp, file);
      else await rm(tmp, { force: true });
      report.replaced += hits;
    } catch {
      await rm(tmp, { force: true }).catch(() => undefined);
      // Not rewritable here (a folder the container made as root): fine if it holds no secret.
      if (!(await isClean(file, secrets))) report.unscrubbable.push(file);
    }
  }
  // A name is uploaded too (an agent can `touch "$ANTHROPIC_API_KEY"`): deepest first, so
  // renaming a folder never moves an entry still to be renamed.
  const redact = redactor(secrets);
  for (const rel of [...entries].sort((a, b) => b.length - a.length)) {
    const name = path.basename(rel);
    if (redact(name) === name) continue;
    const from = path.join(dir, rel);
    const to = path.join(path.dirname(from), redact(name));
    if (
      await rename(from, to).then(
        () => true,
        () => false,
      )
    )
      report.replaced++;
    else report.unscrubbable.push(from);
  }
  return report;
}

async function isClean(file: string, secrets: string[]): Promise<boolean> {
  let hits = 0;
  const sink = new Writable({ write: (_c, _e, done) => done() });
  return pipeline(
    createReadStream(file),
    scrubStream(secrets, () => hits++),
    sink,
  ).then(
    () => hits === 0,
    () => false,
  );
}
