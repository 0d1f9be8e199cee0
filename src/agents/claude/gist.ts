// Short readable summaries of tool calls and tool results for the log: what a reviewer
// needs to follow the agent (the command, the file, the pattern), not the whole input.
// Input field names follow Claude Code's built-in tools
// (https://code.claude.com/docs/en/settings#tools-available-to-claude). Pure.

const MAX_GIST = 300;

function clip(text: string, max = MAX_GIST): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** The one field that says what a tool call does, by tool name; else compact JSON. */
export function toolUseGist(name: string, input: unknown): string {
  const i = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  switch (name) {
    case 'Bash':
      return clip(str(i.command) ?? '');
    case 'Read':
    case 'Write':
    case 'Edit':
    case 'MultiEdit':
    case 'NotebookEdit':
      return clip(str(i.file_path) ?? str(i.notebook_path) ?? '');
    case 'Glob':
    case 'Grep':
      return clip([str(i.pattern), str(i.path)].filter(Boolean).join(' in '));
    case 'WebFetch':
      return clip(str(i.url) ?? '');
    case 'WebSearch':
      return clip(str(i.query) ?? '');
    case 'Task':
    case 'Agent':
      return clip(str(i.description) ?? str(i.prompt) ?? '');
    case 'TodoWrite':
      return Array.isArray(i.todos) ? `${i.todos.length} todos` : '';
    default: {
      const json = JSON.stringify(input ?? {});
      return clip(json === '{}' ? '' : json);
    }
  }
}

/** A tool result's content (a string, or text/image blocks) as one short line. */
export function toolResultGist(content: unknown): string {
  if (typeof content === 'string') return clip(content);
  if (Array.isArray(content)) {
    const parts = content.map((b) => {
      const block = (b ?? {}) as { type?: unknown; text?: unknown };
      return block.type === 'text' && typeof block.text === 'string'
        ? block.text
        : `[${String(block.type ?? 'block')}]`;
    });
    return clip(parts.join(' '));
  }
  return '';
}
