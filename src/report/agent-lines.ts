// One short readable line per structured agent event, shared by the console and the
// GitHub log. Pure.
import type { AgentMessage } from '../events.js';

export function clip(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export function agentMessageLine(m: AgentMessage): string | undefined {
  switch (m.kind) {
    case 'init':
      return `session: model ${m.model ?? '?'}${m.version ? `, Claude Code ${m.version}` : ''}${m.tools !== undefined ? `, ${m.tools} tools` : ''}`;
    case 'text':
      return `💬 ${clip(m.text, 200)}`;
    case 'tool_use':
      return `🔧 ${m.name}: ${clip(m.gist, 160)}`;
    case 'tool_result':
      return m.ok ? undefined : `   ↳ error: ${clip(m.gist, 160)}`;
    case 'turn':
      return undefined;
    case 'result':
      return `result: ${m.subtype}${m.is_error ? ' (error)' : ''}${m.num_turns !== undefined ? `, ${m.num_turns} turns` : ''}${m.total_cost_usd !== undefined ? `, $${m.total_cost_usd.toFixed(4)}` : ''}${m.api_error_status ? `, API status ${m.api_error_status}` : ''}`;
  }
}
