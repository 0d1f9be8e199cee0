// Small, safe Markdown/HTML builders for the job summary. `core.summary` escapes nothing,
// so every string from a task, an agent or a verifier goes through escapeHtml here. Pure.

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** One table cell: escaped, on one line, pipes escaped, clipped. */
export function cell(s: string | number, max = 200): string {
  const one = String(s).replace(/\s+/g, ' ').trim();
  const cut = one.length > max ? `${one.slice(0, max - 1)}…` : one;
  return escapeHtml(cut).replace(/\|/g, '\\|');
}

/** A GitHub table; cells are expected to be escaped already (cell()). */
export function table(head: string[], rows: string[][], align?: Array<'l' | 'r'>): string {
  const sep = head.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  return [head, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** The last `maxBytes` of a text, cut at a line start where possible, with a note. */
export function tailText(text: string, maxBytes: number): string {
  if (bytes(text) <= maxBytes) return text;
  let cut = Buffer.from(text, 'utf8')
    .subarray(-maxBytes)
    .toString('utf8')
    .replace(/^\uFFFD+/, '');
  const nl = cut.indexOf('\n');
  if (nl >= 0 && nl < 200) cut = cut.slice(nl + 1);
  return `[… ${bytes(text) - bytes(cut)} earlier bytes cut; the full text is in the artifact]\n${cut}`;
}

/**
 * A collapsed block of preformatted text. `<pre>` is an HTML block that only ends at
 * `</pre>` (CommonMark type 1), so blank lines inside are safe; escaping keeps the text
 * from closing it.
 */
export function details(summary: string, text: string, maxBytes: number): string {
  return `<details><summary>${escapeHtml(summary)}</summary>\n\n<pre>${escapeHtml(tailText(text, maxBytes))}</pre>\n\n</details>`;
}

export function seconds(s: number | null | undefined): string {
  if (s === null || s === undefined) return '-';
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export function usd(x: number | null | undefined, estimated = false): string {
  return x === null || x === undefined ? '-' : `$${x.toFixed(4)}${estimated ? ' (est.)' : ''}`;
}

export function num(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined ? '-' : String(+x.toFixed(digits));
}
