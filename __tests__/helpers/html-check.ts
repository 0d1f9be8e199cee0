// Checks on the HTML report with a real HTML5 parser (parse5, the tree builder jsdom uses):
// every element and attribute as a browser would see them, so the no-external-resource rule
// is checked on the parsed document, not on text that merely looks like tags.
import { parse } from 'parse5';

interface Node {
  nodeName: string;
  tagName?: string;
  attrs?: Array<{ name: string; value: string }>;
  childNodes?: Node[];
  content?: Node;
  value?: string;
}

export interface Element {
  tag: string;
  attrs: Record<string, string>;
  text: string;
}

function textOf(n: Node): string {
  if (n.nodeName === '#text') return n.value ?? '';
  return (n.childNodes ?? []).map(textOf).join('');
}

export function elements(html: string): Element[] {
  const out: Element[] = [];
  const walk = (n: Node) => {
    if (n.tagName)
      out.push({
        tag: n.tagName,
        attrs: Object.fromEntries((n.attrs ?? []).map((a) => [a.name, a.value])),
        text: textOf(n),
      });
    for (const c of n.childNodes ?? []) walk(c);
    if (n.content) walk(n.content);
  };
  walk(parse(html) as unknown as Node);
  return out;
}

const LOADS = ['src', 'srcset', 'poster', 'data', 'background', 'formaction', 'action', 'xlink:href', 'ping'];

/** Every attribute or CSS reference that would make the browser fetch something; empty when none. */
export function externalLoads(html: string): string[] {
  const found: string[] = [];
  for (const e of elements(html)) {
    for (const [name, value] of Object.entries(e.attrs)) {
      if (LOADS.includes(name) && !value.startsWith('data:')) found.push(`<${e.tag} ${name}="${value}">`);
      if (name === 'href' && e.tag !== 'a' && !value.startsWith('data:')) found.push(`<${e.tag} href="${value}">`);
      if (name === 'href' && e.tag === 'a' && /^\s*javascript:/i.test(value)) found.push(`<a href="${value}">`);
      if (name === 'style' && /url\(|@import/i.test(value)) found.push(`<${e.tag} style="${value}">`);
      if (name.startsWith('on')) found.push(`<${e.tag} ${name}>`);
    }
    if (
      [
        'image',
        'use',
        'iframe',
        'frame',
        'embed',
        'object',
        'link',
        'base',
        'img',
        'video',
        'audio',
        'source',
      ].includes(e.tag)
    )
      found.push(`<${e.tag}>`);
    if (e.tag === 'style' && /url\((?!\s*['"]?data:)|@import/i.test(e.text)) found.push(`<style> with url()/@import`);
    if (e.tag === 'script' && e.attrs.src !== undefined) found.push(`<script src>`);
    if (e.tag === 'meta' && /refresh/i.test(e.attrs['http-equiv'] ?? '')) found.push('<meta refresh>');
  }
  return found;
}
