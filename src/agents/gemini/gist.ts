// Short readable summaries of gemini-cli's (and qwen-code's, a fork with the same tool
// names) tool calls for the log: the command, the file, the pattern. Tool names from
// packages/core/src/tools/tool-names.ts of https://github.com/google-gemini/gemini-cli. Pure.
import { toolUseGist } from '../claude/gist.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

export function toolGist(name: string, input: unknown): string {
  const i = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const pick = (...keys: string[]) => keys.map((k) => str(i[k])).find(Boolean);
  switch (name) {
    case 'run_shell_command':
      return toolUseGist('Bash', { command: pick('command') });
    case 'write_file':
    case 'read_file':
    case 'replace':
    case 'edit':
      return toolUseGist('Read', { file_path: pick('file_path', 'absolute_path', 'path') });
    case 'list_directory':
      return toolUseGist('Read', { file_path: pick('dir_path', 'path') });
    case 'glob':
    case 'search_file_content':
    case 'grep_search':
    case 'grep':
      return toolUseGist('Grep', { pattern: pick('pattern'), path: pick('dir_path', 'path') });
    case 'web_fetch':
      return toolUseGist('WebFetch', { url: pick('url', 'prompt') });
    case 'google_web_search':
    case 'web_search':
      return toolUseGist('WebSearch', { query: pick('query') });
    default:
      return toolUseGist(name, input);
  }
}
