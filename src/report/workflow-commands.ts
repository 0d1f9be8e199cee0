// GitHub workflow commands as plain strings, and a writer that keeps untrusted text from
// ever acting as one. Format and escaping:
// https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
// (escaping as in @actions/core's command.ts: % \r \n in data; also : and , in properties).
//
// The runner takes any line whose trimmed start is `::`, or that contains `##[` (the
// legacy form, matched anywhere), as a command; the log viewer also draws `##[group]`,
// `##[error]`… itself. So container output is both fenced with `::stop-commands::<token>`
// (a token it cannot guess) and neutralised line by line.
import { randomBytes } from 'node:crypto';

export const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
export const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export function annotation(level: AnnotationLevel, title: string, message: string): string {
  return `::${level} title=${escapeProperty(title)}::${escapeData(message)}`;
}

/** One line of text that can no longer be read as a workflow command or log marker. */
export function neutralise(line: string): string {
  // A zero-width space splits the marker; the text still reads the same.
  const out = line.replace(/\r/g, '').replace(/##\[/g, '#\u200b#[');
  return /^\s*::/.test(out) ? out.replace(/::/, ':\u200b:') : out;
}

export function newStopToken(): string {
  return `tb2-${randomBytes(16).toString('hex')}`;
}

/**
 * Writes our own commands as they are, our own text neutralised, and container output
 * fenced: a fence opens before the first such line and closes before our next command
 * (the runner ignores commands inside it, ours included).
 */
export class FencedWriter {
  private fenced = false;

  constructor(
    private readonly write: (s: string) => void,
    private readonly token = newStopToken(),
  ) {}

  command(line: string): void {
    this.close();
    this.write(`${line}\n`);
  }

  /** Our own text (it may quote a task name or an error message): neutralised, not fenced. */
  plain(line: string): void {
    this.write(`${neutralise(line)}\n`);
  }

  /** Output of a container or an agent: fenced and neutralised. */
  text(line: string): void {
    if (!this.fenced) {
      this.write(`::stop-commands::${this.token}\n`);
      this.fenced = true;
    }
    this.write(`${neutralise(line)}\n`);
  }

  close(): void {
    if (!this.fenced) return;
    this.fenced = false;
    this.write(`::${this.token}::\n`);
  }
}
