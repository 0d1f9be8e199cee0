// One short readable line per structured agent event, shared by the console and the
// GitHub log. Pure. Tool results are shown indented under their call, errors marked.
import type { AgentMessage, AgentUsage } from '../events.js';

export function clip(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

const n = (x: number) => x.toLocaleString('en-US');

function tokens(u: AgentUsage): string {
  const input = u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens;
  return `${n(input)} in (${n(u.cache_read_input_tokens)} cached) / ${n(u.output_tokens)} out tokens`;
}

export function agentMessageLine(m: AgentMessage): string | undefined {
  switch (m.kind) {
    case 'init': {
      const parts = [`model ${m.model ?? '?'}`];
      if (m.version) parts.push(`${m.product ?? 'Claude Code'} ${m.version}`);
      if (m.permission_mode) parts.push(`permissions ${m.permission_mode}`);
      if (m.tools !== undefined) parts.push(`${m.tools} tools`);
      if (m.cwd) parts.push(`cwd ${m.cwd}`);
      return `session: ${parts.join(', ')}`;
    }
    case 'text':
      return `💬 ${clip(m.text, 200)}`;
    case 'tool_use':
      return `🔧 ${m.name}${m.gist ? `: ${clip(m.gist, 160)}` : ''}`;
    case 'tool_result':
      return m.ok ? `   ↳ ${clip(m.gist, 120) || '(no output)'}` : `   ↳ error: ${clip(m.gist, 160)}`;
    case 'turn':
      return undefined;
    case 'result': {
      const parts = [`result: ${m.subtype}${m.is_error ? ' (error)' : ''}`];
      if (m.api_error_status) parts.push(`API status ${m.api_error_status}`);
      if (m.num_turns !== undefined) parts.push(`${m.num_turns} turn${m.num_turns === 1 ? '' : 's'}`);
      if (m.duration_ms !== undefined) parts.push(`${(m.duration_ms / 1000).toFixed(1)}s`);
      if (m.usage) parts.push(tokens(m.usage));
      if (m.total_cost_usd !== undefined) parts.push(`$${m.total_cost_usd.toFixed(4)}`);
      const line = parts.join(', ');
      return m.is_error && m.text ? `${line} — ${clip(m.text, 200)}` : line;
    }
  }
}
