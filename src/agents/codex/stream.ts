// Follows codex's `exec --json` stream (one JSON event a line; stderr shares the log file)
// and turns it into AgentMessage events, plain output lines, and the usage for
// agent_result. Events of codex 0.169.0 (recorded: __tests__/fixtures/agents/codex/):
// thread.started {thread_id} · turn.started · item.started / item.updated / item.completed
// {item: {id, type: agent_message | reasoning | command_execution | file_change |
// mcp_tool_call | web_search | todo_list | error, …}} · turn.completed {usage} ·
// turn.failed {error: {message}} · error {message} (a retry notice, or the final error).
// Unknown events and non-JSON lines become plain output, never an error. A model turn
// (one API response) is not delimited in this stream: a new one starts with the first
// item after tool results came back, which is what the `turn` events and the turn
// limit count. Pure state machine: feed whole lines, read the fields at the end.
import type { AgentMessage } from '../../events.js';
import { clip, MAX_GIST, resultGist, TOOL_ITEMS, toolGist, toolName, type Item } from './gist.js';

export interface CodexUsage {
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_output_tokens?: number;
}

/** One `exec --json` line (the fields we read). */
interface StreamEvent {
  type: string;
  thread_id?: string;
  item?: Item;
  usage?: CodexUsage;
  error?: { message?: unknown };
  message?: unknown;
}

const MAX_PLAIN_LINE = 2000;
const TAIL_LINES = 5;

export { commandGist } from './gist.js';

export class CodexSession {
  threadId?: string;
  /** Summed over turn.completed events (one per `exec` turn). */
  private usageSum?: CodexUsage;
  /** turn.failed's message, or the last `error` event that was not a retry notice. */
  failure?: string;
  completed = false;
  /** Model responses so far (see the header). */
  turns = 0;
  private inTurn = false;
  private afterTools = true;
  private readonly started = new Set<string>();
  readonly lastPlain: string[] = [];
  /** The agent's messages, for a trajectory when there is no session log. */
  readonly texts: string[] = [];
  /** Retry notices ("Reconnecting... 1/2 (…)"), the last kept for the error message. */
  lastRetry?: string;

  constructor(
    private readonly sinks: { message: (m: AgentMessage) => void; output: (line: string) => void },
    /** What the stream does not say: the model asked for and the binary's version. */
    private readonly meta: { model?: string; version?: string } = {},
  ) {}

  get usage(): CodexUsage | undefined {
    return this.usageSum;
  }

  /** The turn ended (completed or failed): the process has nothing more to do. */
  get ended(): boolean {
    return this.completed || this.failure !== undefined;
  }

  feed(raw: string): void {
    const line = raw.trim();
    let parsed: unknown;
    if (line.startsWith('{')) {
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = undefined;
      }
    }
    if (!parsed || typeof parsed !== 'object' || typeof (parsed as { type?: unknown }).type !== 'string')
      return this.plain(raw);
    const ev = parsed as StreamEvent;
    switch (ev.type) {
      case 'thread.started':
        this.threadId = ev.thread_id;
        // No version here: the log renders init's version as Claude Code's (report/agent-lines.ts).
        this.sinks.message({ kind: 'init', model: this.meta.model });
        return;
      case 'turn.started':
        this.inTurn = true;
        this.afterTools = true;
        return;
      case 'item.started':
      case 'item.updated':
      case 'item.completed':
        return this.item(ev.type, ev.item ?? {});
      case 'turn.completed': {
        const u = ev.usage;
        if (u) {
          const s = (this.usageSum ??= {
            input_tokens: 0,
            cached_input_tokens: 0,
            output_tokens: 0,
            reasoning_output_tokens: 0,
          });
          s.input_tokens += num(u.input_tokens);
          s.cached_input_tokens += num(u.cached_input_tokens);
          s.output_tokens += num(u.output_tokens);
          s.reasoning_output_tokens = (s.reasoning_output_tokens ?? 0) + num(u.reasoning_output_tokens);
        }
        this.completed = true;
        this.inTurn = false;
        this.sinks.message({
          kind: 'result',
          subtype: 'success',
          is_error: false,
          num_turns: this.turns,
          usage: u
            ? {
                input_tokens: num(u.input_tokens) - num(u.cached_input_tokens),
                cache_read_input_tokens: num(u.cached_input_tokens),
                cache_creation_input_tokens: 0,
                output_tokens: num(u.output_tokens),
              }
            : undefined,
        });
        return;
      }
      case 'turn.failed': {
        const msg = String(ev.error?.message ?? 'the turn failed');
        this.failure = msg;
        this.inTurn = false;
        this.sinks.message({
          kind: 'result',
          subtype: 'error',
          is_error: true,
          num_turns: this.turns,
          text: msg,
          api_error_status: statusOf(msg),
        });
        return;
      }
      case 'error': {
        const msg = String(ev.message ?? '');
        if (/^Reconnecting\.\.\./.test(msg)) this.lastRetry = msg;
        else this.failure ??= msg || undefined;
        this.plain(`codex: ${msg}`);
        return;
      }
      default:
        return this.plain(raw);
    }
  }

  private item(phase: string, item: Item): void {
    const tool = TOOL_ITEMS.has(item.type ?? '');
    if (item.type === 'error') {
      // Non-fatal notices (e.g. "Model metadata for `gpt-5` not found"); failures come as turn.failed.
      if (phase === 'item.completed') this.plain(`codex: ${item.message ?? ''}`);
      return;
    }
    if (phase === 'item.updated') return;
    // A new model response: the first item of the turn, or the first after tool results.
    if (this.inTurn && this.afterTools && (phase === 'item.started' || !this.started.has(item.id ?? ''))) {
      this.afterTools = false;
      this.sinks.message({ kind: 'turn', turn: ++this.turns });
    }
    if (tool) {
      const id = item.id;
      if (phase === 'item.started' || !this.started.has(id ?? '')) {
        if (id) this.started.add(id);
        this.sinks.message({ kind: 'tool_use', id, name: toolName(item), gist: toolGist(item) });
      }
      if (phase === 'item.completed') {
        this.sinks.message({ kind: 'tool_result', id, ...resultGist(item) });
        this.afterTools = true;
      }
      return;
    }
    if (phase !== 'item.completed') return;
    if (item.type === 'agent_message' && item.text?.trim()) {
      this.texts.push(item.text);
      this.sinks.message({ kind: 'text', text: item.text });
    } else if (item.type === 'reasoning' && item.text?.trim()) this.plain(`thinking: ${clip(item.text, MAX_GIST)}`);
    else if (item.type === 'todo_list') this.plain(`plan updated`);
  }

  private plain(line: string): void {
    if (!line.trim()) return;
    const clipped =
      line.length > MAX_PLAIN_LINE
        ? `${line.slice(0, MAX_PLAIN_LINE)} … [${line.length - MAX_PLAIN_LINE} more characters in codex.txt]`
        : line;
    this.lastPlain.push(clipped.slice(0, 300));
    if (this.lastPlain.length > TAIL_LINES) this.lastPlain.shift();
    this.sinks.output(clipped);
  }
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** "unexpected status 401 Unauthorized: …" -> 401. */
export function statusOf(message: string): number | undefined {
  const m = /\bstatus (\d{3})\b/.exec(message);
  return m ? Number(m[1]) : undefined;
}
