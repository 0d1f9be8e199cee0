// Follows one qwen-code stream line by line and turns it into AgentMessage events and plain
// output lines. A turn is one model response: consecutive assistant lines (one per content
// block) until the tool results come back. Each response's usage rides on its last block,
// so the blocks' usages are summed, never de-duplicated by message id (every block has its
// own id). Unknown types and non-JSON lines (stderr shares the log file) become plain output,
// never an error. Pure state machine: the caller feeds whole lines.
import type { AgentMessage } from '../../events.js';
import { toolResultGist } from '../claude/gist.js';
import { toolGist } from '../gemini/gist.js';
import { apiStatusOf, isApiErrorText, parseStreamLine, resultText, type QwenUsage, type ResultLine } from './stream.js';

const MAX_PLAIN_LINE = 2000;
const TAIL_LINES = 5;

export interface SessionSinks {
  message: (m: AgentMessage) => void;
  output: (line: string) => void;
  info?: (i: { model?: string; version?: string }) => void;
}

export class QwenSession {
  result?: ResultLine;
  sessionId?: string;
  model?: string;
  turns = 0;
  /** The last plain lines (stderr, API errors), for the message of a run without a result. */
  readonly lastPlain: string[] = [];
  private inTurn = false;

  constructor(
    private readonly sinks: SessionSinks,
    private readonly logName = 'qwen-code.txt',
  ) {}

  feed(raw: string): void {
    const p = parseStreamLine(raw);
    switch (p.kind) {
      case 'init': {
        const l = p.line;
        this.sessionId ??= l.session_id;
        this.model ??= l.model;
        this.sinks.info?.({ model: l.model, version: l.qwen_code_version });
        this.sinks.message({
          kind: 'init',
          model: l.model,
          version: l.qwen_code_version,
          product: 'qwen-code',
          cwd: l.cwd,
          permission_mode: l.permission_mode,
          tools: l.tools?.length,
        });
        return;
      }
      case 'assistant':
        for (const b of p.line.message.content) {
          if (b.type === 'text' && typeof b.text === 'string' && b.text.trim()) {
            if (isApiErrorText(b.text)) {
              this.plain(b.text);
              continue;
            }
            this.startTurn();
            this.sinks.message({ kind: 'text', text: b.text });
          } else if (b.type === 'tool_use' && typeof b.name === 'string') {
            this.startTurn();
            this.sinks.message({
              kind: 'tool_use',
              id: typeof b.id === 'string' ? b.id : undefined,
              name: b.name,
              gist: toolGist(b.name, b.input),
            });
          }
        }
        return;
      case 'user': {
        const content = p.line.message.content;
        for (const b of Array.isArray(content) ? content : [])
          if (b.type === 'tool_result') {
            this.inTurn = false;
            this.sinks.message({
              kind: 'tool_result',
              id: typeof b.tool_use_id === 'string' ? b.tool_use_id : undefined,
              ok: b.is_error !== true,
              gist: toolResultGist(resultText(b.content)),
            });
          }
        return;
      }
      case 'result': {
        const r = p.line;
        this.result = r;
        const status = apiStatusOf(r.error?.message);
        this.sinks.message({
          kind: 'result',
          subtype: r.subtype,
          is_error: r.is_error || r.subtype !== 'success',
          num_turns: this.turns,
          ...(r.duration_ms ? { duration_ms: r.duration_ms } : {}),
          ...(r.total_cost_usd !== undefined ? { total_cost_usd: r.total_cost_usd } : {}),
          ...(r.usage ? { usage: agentUsageOf(r.usage) } : {}),
          ...(status ? { api_error_status: status } : {}),
          ...(r.error?.message ? { text: r.error.message } : {}),
        });
        return;
      }
      case 'event':
        return;
      case 'other':
        if (p.text.trim()) this.plain(p.text);
        return;
    }
  }

  private startTurn(): void {
    if (this.inTurn) return;
    this.inTurn = true;
    this.sinks.message({ kind: 'turn', turn: ++this.turns });
  }

  private plain(line: string): void {
    const clipped =
      line.length > MAX_PLAIN_LINE
        ? `${line.slice(0, MAX_PLAIN_LINE)} … [${line.length - MAX_PLAIN_LINE} more characters in ${this.logName}]`
        : line;
    this.lastPlain.push(clipped.slice(0, 300));
    if (this.lastPlain.length > TAIL_LINES) this.lastPlain.shift();
    this.sinks.output(clipped);
  }
}

/** Our event's usage shape: uncached input apart from cache reads. */
export function agentUsageOf(u: QwenUsage) {
  return {
    input_tokens: Math.max(0, u.input_tokens - u.cache_read_input_tokens),
    cache_read_input_tokens: u.cache_read_input_tokens,
    cache_creation_input_tokens: 0,
    output_tokens: u.output_tokens,
  };
}
