// Follows opencode's `run --format json` stream (one JSON event a line; stderr, its
// ERROR-level log lines, shares the log file) and turns it into AgentMessage events and
// plain output lines. Events of opencode 1.18.34 (recorded: __tests__/fixtures/agents/opencode/),
// each {type, timestamp (ms), sessionID, part}: step_start (a model turn begins) · text
// {part.text} · reasoning {part.text} (with --thinking) · tool_use {part: {tool, callID,
// state: {status: completed | error, input, output, error, metadata.exit}}}, written once the
// tool finished · step_finish {part: {reason: tool-calls | stop | length …, tokens {input,
// output, reasoning, cache {read, write}}, cost}} · error {error: {name, data: {message,
// statusCode, isRetryable}}}. Unknown events and other lines become plain output, never an
// error. Pure state machine: feed whole lines, read the fields at the end.
import type { AgentMessage, AgentUsage } from '../../events.js';

export interface StepTokens {
  input?: number;
  output?: number;
  reasoning?: number;
  cache?: { read?: number; write?: number };
}

export interface ToolPart {
  tool?: string;
  callID?: string;
  id?: string;
  state?: {
    status?: string;
    input?: unknown;
    output?: unknown;
    error?: unknown;
    title?: string;
    metadata?: { exit?: number | null };
  };
}

/** One stream line (the fields we read). */
export interface StreamEvent {
  type: string;
  timestamp?: number;
  sessionID?: string;
  part?: ToolPart & { type?: string; text?: string; reason?: string; tokens?: StepTokens; cost?: number };
  error?: { name?: string; data?: { message?: unknown; statusCode?: unknown; isRetryable?: unknown } };
}

/** The stream's `error` event, read. */
export interface Failure {
  name: string;
  message: string;
  status?: number;
}

const MAX_PLAIN_LINE = 2000;
const MAX_GIST = 300;
const TAIL_LINES = 5;

export const clip = (text: string, max = MAX_GIST) => {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
};

/** A parsed stream event, or undefined for any other line. */
export function parseEvent(raw: string): StreamEvent | undefined {
  const line = raw.trim();
  if (!line.startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(line);
    return v && typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string'
      ? (v as StreamEvent)
      : undefined;
  } catch {
    return undefined;
  }
}

/** What the model asked a tool: the bash command, a file path, a pattern. */
export function toolGist(p: ToolPart): string {
  const input = (p.state?.input ?? {}) as Record<string, unknown>;
  const first = ['command', 'filePath', 'path', 'pattern', 'url', 'description']
    .map((k) => input[k])
    .find((v) => typeof v === 'string');
  return clip(typeof first === 'string' ? first : (p.state?.title ?? ''));
}

export function resultGist(p: ToolPart): { ok: boolean; gist: string } {
  const s = p.state ?? {};
  if (s.status === 'error') return { ok: false, gist: clip(String(s.error ?? 'failed')) };
  const exit = s.metadata?.exit;
  const out = clip(typeof s.output === 'string' ? s.output : JSON.stringify(s.output ?? ''));
  const ok = exit === undefined || exit === null || exit === 0;
  return { ok, gist: exit === undefined || exit === null ? out || 'done' : `exit ${exit}${out ? `: ${out}` : ''}` };
}

export class OpencodeSession {
  sessionId?: string;
  /** Model turns (step_start events) so far. */
  turns = 0;
  /** The last step_finish ended the turn without asking for tools ("stop", "length"…). */
  finished = false;
  finishReason?: string;
  failure?: Failure;
  /** The last ERROR-level log line's error ("ProviderModelNotFoundError: Model not found: …"). */
  loggedError?: string;
  readonly lastPlain: string[] = [];
  private inited = false;

  constructor(
    private readonly sinks: { message: (m: AgentMessage) => void; output: (line: string) => void },
    private readonly meta: { model?: string; version?: string } = {},
  ) {}

  /** Nothing more to do: the turn ended, or failed. */
  get ended(): boolean {
    return this.finished || this.failure !== undefined;
  }

  feed(raw: string): void {
    const ev = parseEvent(raw);
    if (!ev) return this.logLine(raw);
    if (!this.inited && ev.sessionID) {
      this.inited = true;
      this.sessionId = ev.sessionID;
      this.sinks.message({ kind: 'init', model: this.meta.model, version: this.meta.version, product: 'opencode' });
    }
    const part = ev.part ?? {};
    switch (ev.type) {
      case 'step_start':
        this.finished = false;
        this.sinks.message({ kind: 'turn', turn: ++this.turns });
        return;
      case 'text':
        if (part.text?.trim()) this.sinks.message({ kind: 'text', text: part.text });
        return;
      case 'reasoning':
        if (part.text?.trim()) this.plain(`thinking: ${clip(part.text)}`);
        return;
      case 'tool_use':
        this.sinks.message({ kind: 'tool_use', id: part.callID, name: part.tool ?? 'tool', gist: toolGist(part) });
        this.sinks.message({ kind: 'tool_result', id: part.callID, ...resultGist(part) });
        return;
      case 'step_finish':
        this.finishReason = part.reason;
        this.finished = part.reason !== 'tool-calls';
        return;
      case 'error': {
        const data = ev.error?.data ?? {};
        const status = typeof data.statusCode === 'number' ? data.statusCode : undefined;
        const message = typeof data.message === 'string' ? data.message : '';
        this.failure = { name: ev.error?.name ?? 'Error', message, status };
        this.plain(`opencode: ${this.failure.name}${status ? ` (HTTP ${status})` : ''}: ${message || '(no message)'}`);
        return;
      }
      default:
        return this.plain(raw);
    }
  }

  /** The result line for the log, once the process is gone (usage and cost from the trajectory). */
  result(usage?: AgentUsage, cost?: number): AgentMessage {
    const f = this.failure;
    return {
      kind: 'result',
      subtype: f ? 'error' : this.finished ? 'success' : 'incomplete',
      is_error: f !== undefined,
      num_turns: this.turns,
      ...(usage ? { usage } : {}),
      ...(cost !== undefined ? { total_cost_usd: cost } : {}),
      ...(f ? { text: f.message || f.name, ...(f.status ? { api_error_status: f.status } : {}) } : {}),
    };
  }

  private logLine(raw: string): void {
    // `timestamp=… level=ERROR … error="ProviderModelNotFoundError: Model not found: x/y. Did you mean…"`
    const m = /\blevel=ERROR\b.*?\berror="((?:[^"\\]|\\.)*)"/.exec(raw);
    if (m) this.loggedError = m[1].replace(/\\(.)/g, '$1');
    this.plain(raw);
  }

  private plain(line: string): void {
    if (!line.trim()) return;
    const clipped =
      line.length > MAX_PLAIN_LINE
        ? `${line.slice(0, MAX_PLAIN_LINE)} … [${line.length - MAX_PLAIN_LINE} more characters in opencode.txt]`
        : line;
    this.lastPlain.push(clipped.slice(0, 300));
    if (this.lastPlain.length > TAIL_LINES) this.lastPlain.shift();
    this.sinks.output(clipped);
  }
}
