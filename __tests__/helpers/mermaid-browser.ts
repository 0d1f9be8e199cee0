// Mermaid 11 itself (the devDependency's dist/mermaid.min.js), run in real headless Chromium
// on blocks we generate: mermaid.parse and mermaid.render each block and the page writes what
// happened into its DOM, which --dump-dom returns once the virtual time budget has run out.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openInChromium } from './chromium.js';
import { elements } from './html-check.js';

const require = createRequire(import.meta.url);
export const MERMAID_JS = path.join(path.dirname(require.resolve('mermaid/package.json')), 'dist', 'mermaid.min.js');
export const mermaidVersion = (): string => require('mermaid/package.json').version;

export interface Rendered {
  ok: boolean;
  type?: string;
  svgBytes?: number;
  error?: string;
}

/** The ```mermaid blocks of a Markdown text, without their fences. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]);
}

export async function renderInBrowser(blocks: string[]): Promise<{ results: Rendered[]; console: string[] }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tb2-mermaid-'));
  const page = path.join(dir, 'mermaid.html');
  await writeFile(
    page,
    `<!doctype html><html><body><pre id="out">pending</pre>
<script src="${pathToFileURL(MERMAID_JS).href}"></script>
<script>
const blocks = ${JSON.stringify(blocks).replace(/</g, '\\u003c')};
(async () => {
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  const results = [];
  for (const [i, text] of blocks.entries()) {
    try {
      const parsed = await mermaid.parse(text);
      const { svg } = await mermaid.render('m' + i, text);
      results.push({ ok: true, type: parsed.diagramType, svgBytes: svg.length });
    } catch (err) {
      results.push({ ok: false, error: String(err && err.message || err) });
    }
  }
  document.getElementById('out').textContent = JSON.stringify(results);
})();
</script></body></html>`,
  );
  const { dom, console } = await openInChromium(page, '', [
    '--virtual-time-budget=20000',
    '--allow-file-access-from-files',
  ]);
  const out = elements(dom).find((e) => e.attrs.id === 'out')!.text;
  if (out === 'pending') throw new Error('mermaid did not finish within the virtual time budget');
  return { results: JSON.parse(out) as Rendered[], console };
}
