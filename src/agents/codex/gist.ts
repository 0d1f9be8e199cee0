// Short readable summaries of codex's items for the log: the command, the files a patch
// touched, a search query; a result as its exit code and the start of its output. Item
// shapes of codex 0.169.0 `exec --json` (see ./stream.ts). Pure.

export interface Item {
  id?: string;
  type?: string;
  text?: string;
  message?: string;
  command?: string;
  aggregated_output?: string;
  exit_code?: number | null;
  status?: string;
  changes?: Array<{ path?: string; kind?: string }>;
  server?: string;
  tool?: string;
  query?: string;
  error?: { message?: string };
}

export const TOOL_ITEMS = new Set(['command_execution', 'file_change', 'mcp_tool_call', 'web_search']);
export const MAX_GIST = 300;

export function clip(text: string, max = MAX_GIST): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** `/bin/bash -lc "…"` as the command the model wrote. */
export function commandGist(command: string): string {
  const m = /^(?:\S*\/)?(?:ba|z)?sh -lc (.*)$/s.exec(command);
  let inner = m ? m[1] : command;
  if (m && /^"[^"]*"$|^'[^']*'$/s.test(inner)) inner = inner.slice(1, -1);
  return clip(inner);
}

export function toolName(item: Item): string {
  switch (item.type) {
    case 'command_execution':
      return 'shell';
    case 'file_change':
      return 'apply_patch';
    case 'mcp_tool_call':
      return `${item.server ?? 'mcp'}.${item.tool ?? '?'}`;
    default:
      return item.type ?? 'tool';
  }
}

export function toolGist(item: Item): string {
  switch (item.type) {
    case 'command_execution':
      return commandGist(item.command ?? '');
    case 'file_change':
      return clip((item.changes ?? []).map((c) => `${c.kind ?? 'edit'} ${c.path ?? '?'}`).join(', '));
    case 'web_search':
      return clip(item.query ?? '');
    default:
      return '';
  }
}

export function resultGist(item: Item): { ok: boolean; gist: string } {
  switch (item.type) {
    case 'command_execution': {
      const code = item.exit_code;
      const out = clip(item.aggregated_output ?? '');
      const ok = item.status === 'completed' && (code === 0 || code === undefined || code === null);
      return {
        ok,
        gist:
          `${code === null || code === undefined ? '' : `exit ${code}`}${out ? `${code === null || code === undefined ? '' : ': '}${out}` : ''}` ||
          'done',
      };
    }
    case 'mcp_tool_call':
      return { ok: item.status === 'completed' && !item.error, gist: clip(item.error?.message ?? item.status ?? '') };
    default:
      return { ok: item.status !== 'failed', gist: item.status ?? 'done' };
  }
}
