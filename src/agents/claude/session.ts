// Follows one Claude Code stream line by line and turns it into AgentMessage events,
// plain output lines, and the usage for agent_result. Unknown types and non-JSON lines
// (stderr shares the log file) become plain output, never an error. Pure state machine:
// the caller feeds whole lines and reads `result` / `usage()` at the end.
import type { AgentMessage } from '../../events.js';
import { toolResultGist, toolUseGist } from './gist.js';
import { parseStreamLine, type ResultLine } from './stream.js';
import { toAgentUsage, trialUsage, UsageSum, type TrialUsage } from './usage.js';

/** A plain line longer than this is clipped in the event stream (the raw log keeps it). */
const MAX_PLAIN_LINE = 2000;
const TAIL_LINES = 5;

export interface SessionSinks {
  message: (m: AgentMessage) => void;
  output: (line: string) => void;
  /** The model and version the binary reported (agent_info when no --model was given). */
  info?: (i: { model?: string; version?: string }) => void;
}

export class ClaudeSession {
  result?: ResultLine;
  /** Names the session log (CLAUDE_CONFIG_DIR/projects/<cwd>/<id>.jsonl) the trajectory is read from. */
  sessionId?: string;
  private turns = 0;
  private readonly usageSum = new UsageSum();
  /** The last plain lines (stderr), for the message of a run that died without a result. */
  readonly lastPlain: string[] = [];

  constructor(private readonly sinks: SessionSinks) {}

  feed(raw: string): void {
    const p = parseStreamLine(raw);
    switch (p.kind) {
      case 'init': {
        const l = p.line;
        this.sessionId ??= l.session_id;
        this.sinks.info?.({ model: l.model, version: l.claude_code_version });
        this.sinks.message({
          kind: 'init',
          model: l.model,
          version: l.claude_code_version,
          cwd: l.cwd,
          permission_mode: l.permissionMode,
          tools: l.tools?.length,
        });
        return;
      }
      case 'retry': {
        const l = p.line;
        const delay = l.retry_delay_ms !== undefined ? ` in ${(l.retry_delay_ms / 1000).toFixed(1)}s` : '';
        this.plain(
          `API retry ${l.attempt ?? '?'}/${l.max_retries ?? '?'}${delay}: ${l.error_status ?? ''} ${l.error ?? ''}`.trim(),
        );
        return;
      }
      case 'assistant': {
        const m = p.line.message;
        // Claude Code's synthetic messages (API errors) carry zero usage and no turn.
        const synthetic = m.model === '<synthetic>';
        if (m.usage && !synthetic && this.usageSum.add(m.id, m.model, m.usage))
          this.sinks.message({ kind: 'turn', turn: ++this.turns });
        for (const b of m.content) {
          if (b.type === 'text' && 'text' in b && typeof b.text === 'string' && b.text.trim())
            this.sinks.message({ kind: 'text', text: b.text });
          else if (b.type === 'tool_use' && 'name' in b && typeof b.name === 'string')
            this.sinks.message({
              kind: 'tool_use',
              id: b.id as string | undefined,
              name: b.name,
              gist: toolUseGist(b.name, b.input),
            });
        }
        return;
      }
      case 'user': {
        const c = p.line.message.content;
        if (typeof c === 'string') return;
        for (const b of c) {
          if (b.type !== 'tool_result') continue;
          this.sinks.message({
            kind: 'tool_result',
            id: b.tool_use_id as string | undefined,
            ok: b.is_error !== true,
            gist: toolResultGist(b.content),
          });
        }
        return;
      }
      case 'result': {
        const r = p.line;
        this.result = r;
        this.sessionId ??= r.session_id;
        this.sinks.message({
          kind: 'result',
          subtype: r.subtype,
          is_error: r.is_error,
          num_turns: r.num_turns,
          duration_ms: r.duration_ms,
          total_cost_usd: r.total_cost_usd ?? undefined,
          usage: r.usage ? toAgentUsage(r.usage) : undefined,
          api_error_status: r.api_error_status ?? undefined,
          text: r.result ?? undefined,
        });
        return;
      }
      case 'other':
        if (p.text.trim()) this.plain(p.text);
        return;
    }
  }

  /** From the result line; else summed from assistant messages (estimated); else none. */
  usage(): TrialUsage | undefined {
    const r = this.result;
    if (r?.usage) return trialUsage(r.usage, r.total_cost_usd ?? null, false);
    return this.usageSum.empty ? undefined : this.usageSum.total();
  }

  private plain(line: string): void {
    const clipped =
      line.length > MAX_PLAIN_LINE
        ? `${line.slice(0, MAX_PLAIN_LINE)} … [${line.length - MAX_PLAIN_LINE} more characters in claude-code.jsonl]`
        : line;
    this.lastPlain.push(clipped.slice(0, 300));
    if (this.lastPlain.length > TAIL_LINES) this.lastPlain.shift();
    this.sinks.output(clipped);
  }
}
