// Follows one gemini-cli stream line by line and turns it into AgentMessage events and plain
// output lines. The model's text arrives as `message` deltas: they are assembled and shown
// once the text is complete (at the next tool call, tool result or the result line). A turn
// is one model response: it starts at the first text or tool call after the prompt or after
// a tool result. Unknown types and non-JSON lines (stderr shares the log file) become plain
// output, never an error. Pure state machine: the caller feeds whole lines.
import type { AgentMessage } from '../../events.js';
import { toolResultGist } from '../claude/gist.js';
import { toolGist } from './gist.js';
import { parseStreamLine, type ResultLine, type StatsTokens } from './stream.js';

const MAX_PLAIN_LINE = 2000;
const TAIL_LINES = 5;

export interface SessionSinks {
  message: (m: AgentMessage) => void;
  output: (line: string) => void;
  info?: (i: { model?: string; version?: string }) => void;
}

export class GeminiSession {
  result?: ResultLine;
  sessionId?: string;
  model?: string;
  turns = 0;
  /** The last plain lines (stderr), for the message of a run that died without a result. */
  readonly lastPlain: string[] = [];
  private inTurn = false;
  private text = '';

  constructor(
    private readonly sinks: SessionSinks,
    private readonly logName = 'gemini-cli.txt',
  ) {}

  feed(raw: string): void {
    const p = parseStreamLine(raw);
    switch (p.kind) {
      case 'init':
        this.sessionId ??= p.line.session_id;
        this.model ??= p.line.model;
        this.sinks.info?.({ model: p.line.model });
        // No version: the log line names it "Claude Code <version>" (report/agent-lines.ts).
        this.sinks.message({ kind: 'init', model: p.line.model });
        return;
      case 'message':
        if (p.line.role !== 'assistant') return;
        this.startTurn();
        this.text += p.line.content;
        if (!p.line.delta) this.flush();
        return;
      case 'tool_use':
        this.flush();
        this.startTurn();
        this.sinks.message({
          kind: 'tool_use',
          id: p.line.tool_id,
          name: p.line.tool_name,
          gist: toolGist(p.line.tool_name, p.line.parameters),
        });
        return;
      case 'tool_result':
        this.flush();
        this.inTurn = false;
        this.sinks.message({
          kind: 'tool_result',
          id: p.line.tool_id,
          ok: p.line.status === 'success',
          gist: toolResultGist(p.line.output || p.line.error?.message || ''),
        });
        return;
      case 'error':
        this.flush();
        this.plain(`${p.line.severity ?? 'error'}: ${p.line.message}`);
        return;
      case 'result': {
        this.flush();
        const r = p.line;
        this.result = r;
        const s = r.stats;
        this.sinks.message({
          kind: 'result',
          subtype: r.status,
          is_error: r.status !== 'success',
          num_turns: this.turns,
          ...(s?.duration_ms ? { duration_ms: s.duration_ms } : {}),
          ...(s ? { usage: agentUsageOf(s) } : {}),
          ...(statusOf(r.error?.message) ? { api_error_status: statusOf(r.error?.message) } : {}),
          ...(r.error?.message ? { text: r.error.message } : {}),
        });
        return;
      }
      case 'other':
        if (p.text.trim()) this.plain(p.text);
        return;
    }
  }

  /** Text still being assembled when the stream ended (killed mid-answer). */
  end(): void {
    this.flush();
  }

  private startTurn(): void {
    if (this.inTurn) return;
    this.inTurn = true;
    this.sinks.message({ kind: 'turn', turn: ++this.turns });
  }

  private flush(): void {
    if (this.text.trim()) this.sinks.message({ kind: 'text', text: this.text });
    this.text = '';
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

/** Our event's usage shape: uncached input apart from cache reads; thinking counted as output. */
export function agentUsageOf(s: StatsTokens) {
  return {
    input_tokens: Math.max(0, s.input_tokens - s.cached),
    cache_read_input_tokens: s.cached,
    cache_creation_input_tokens: 0,
    output_tokens: generated(s),
  };
}

/** Candidates plus thinking: total_tokens counts both, output_tokens only the candidates. */
export function generated(s: StatsTokens): number {
  return Math.max(s.output_tokens, s.total_tokens - s.input_tokens);
}

/** The HTTP status inside gemini-cli's "[API Error: {...\"code\":401...}]" text. */
export function statusOf(message: string | undefined): number | undefined {
  const m =
    /"code"\s*:\s*(\d{3})\b/.exec(message ?? '') ?? /\bstatus(?:\s*code)?\s*[:=]?\s*(\d{3})\b/i.exec(message ?? '');
  return m ? Number(m[1]) : undefined;
}
