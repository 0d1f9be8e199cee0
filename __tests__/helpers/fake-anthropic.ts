// A scripted fake of the Anthropic Messages API on 127.0.0.1, so the real Claude Code
// binary runs its own tool loop against answers we choose. Streaming requests get
// Server-Sent Events in the wire format of
// https://docs.anthropic.com/en/api/messages-streaming (message_start,
// content_block_start/delta/stop, message_delta with usage, message_stop).
// Every request is logged (method, path, model, tools, tool results) for assertions.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

/** One answer of the model: tool calls (Claude Code runs them and asks again) or final text. */
export type Turn =
  | { tools: Array<{ name: string; input: Record<string, unknown> }>; text?: string; usage: Usage }
  | { text: string; usage: Usage };

export interface FakeOptions {
  /** Answer every request with this HTTP error (e.g. 401 for a bad key). */
  failAll?: { status: number; type: string; message: string };
}

export interface LoggedRequest {
  method: string;
  path: string;
  stream?: boolean;
  model?: string;
  nTools?: number;
  /** tool_result blocks of the last user message: what the binary's tools returned. */
  toolResults: Array<{ content: string; is_error: boolean }>;
  /** The turn answered (index into the script), or "side" for an off-script call. */
  answered: number | 'side' | 'error';
  hasApiKey: boolean;
}

export interface FakeAnthropic {
  url: string;
  requests: LoggedRequest[];
  /** Usage of every answer sent so far, summed: what Claude Code should report. */
  reported: Required<Usage>;
  close(): Promise<void>;
}

const SIDE_USAGE: Usage = { input_tokens: 0, output_tokens: 0 };

export async function startFakeAnthropic(script: Turn[], opts: FakeOptions = {}): Promise<FakeAnthropic> {
  const requests: LoggedRequest[] = [];
  const reported = { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
  let next = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req);
    const body = safeJson(raw);
    const path = (req.url ?? '/').split('?')[0];
    const entry: LoggedRequest = {
      method: req.method ?? '',
      path,
      stream: body?.stream === true,
      model: typeof body?.model === 'string' ? body.model : undefined,
      nTools: Array.isArray(body?.tools) ? body.tools.length : undefined,
      toolResults: toolResultsOf(body),
      answered: 'side',
      hasApiKey: Boolean(req.headers['x-api-key'] || req.headers.authorization),
    };
    requests.push(entry);

    if (opts.failAll) {
      entry.answered = 'error';
      return sendJson(res, opts.failAll.status, {
        type: 'error',
        error: { type: opts.failAll.type, message: opts.failAll.message },
      });
    }
    if (req.method === 'POST' && path === '/v1/messages/count_tokens') return sendJson(res, 200, { input_tokens: 100 });
    if (req.method !== 'POST' || path !== '/v1/messages')
      return sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: `no route ${path}` } });

    // The tool loop sends the tool list; side calls (titles, quota probes) do not.
    const onScript = entry.nTools !== undefined && entry.nTools > 0 && next < script.length;
    const turn: Turn = onScript ? script[next] : { text: 'ok', usage: SIDE_USAGE };
    entry.answered = onScript ? next++ : 'side';
    add(reported, turn.usage);
    const model = entry.model ?? 'claude-sonnet-4-5';
    if (entry.stream) return sendStream(res, model, turn);
    return sendJson(res, 200, {
      ...messageShell(model, turn.usage),
      content: blocksOf(turn),
      stop_reason: stopOf(turn),
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) sendJson(res, 500, { type: 'error', error: { type: 'api_error', message: String(err) } });
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reported,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Block =
  { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

function blocksOf(turn: Turn): Block[] {
  const blocks: Block[] = [];
  if (turn.text) blocks.push({ type: 'text', text: turn.text });
  if ('tools' in turn)
    for (const t of turn.tools)
      blocks.push({ type: 'tool_use', id: `toolu_${randomBytes(12).toString('hex')}`, name: t.name, input: t.input });
  return blocks;
}

const stopOf = (turn: Turn) => ('tools' in turn ? 'tool_use' : 'end_turn');

function messageShell(model: string, usage: Usage) {
  return {
    id: `msg_${randomBytes(12).toString('hex')}`,
    type: 'message',
    role: 'assistant',
    model,
    stop_sequence: null,
    usage: { cache_creation_input_tokens: 0, cache_read_input_tokens: 0, ...usage },
  };
}

function sendStream(res: ServerResponse, model: string, turn: Turn): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'request-id': `req_${randomBytes(8).toString('hex')}`,
  });
  const event = (type: string, data: Record<string, unknown>) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  // message_start carries the input side of usage; message_delta the final output count.
  const shell = messageShell(model, { ...turn.usage, output_tokens: 1 });
  event('message_start', { message: { ...shell, content: [], stop_reason: null } });
  event('ping', {});
  blocksOf(turn).forEach((b, index) => {
    if (b.type === 'text') {
      event('content_block_start', { index, content_block: { type: 'text', text: '' } });
      // Two deltas, so the client really has to assemble the text.
      const half = Math.ceil(b.text.length / 2);
      for (const part of [b.text.slice(0, half), b.text.slice(half)])
        event('content_block_delta', { index, delta: { type: 'text_delta', text: part } });
    } else {
      event('content_block_start', { index, content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} } });
      const json = JSON.stringify(b.input);
      const half = Math.ceil(json.length / 2);
      for (const part of [json.slice(0, half), json.slice(half)])
        event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } });
    }
    event('content_block_stop', { index });
  });
  event('message_delta', {
    delta: { stop_reason: stopOf(turn), stop_sequence: null },
    usage: { output_tokens: turn.usage.output_tokens },
  });
  event('message_stop', {});
  res.end();
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${randomBytes(8).toString('hex')}` });
  res.end(JSON.stringify(body));
}

function add(sum: Required<Usage>, u: Usage): void {
  sum.input_tokens += u.input_tokens;
  sum.output_tokens += u.output_tokens;
  sum.cache_read_input_tokens += u.cache_read_input_tokens ?? 0;
  sum.cache_creation_input_tokens += u.cache_creation_input_tokens ?? 0;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function safeJson(raw: string): any {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function toolResultsOf(body: any): LoggedRequest['toolResults'] {
  const last = Array.isArray(body?.messages) ? body.messages.at(-1) : undefined;
  if (!last || !Array.isArray(last.content)) return [];
  return last.content
    .filter((b: any) => b?.type === 'tool_result')
    .map((b: any) => ({
      content:
        typeof b.content === 'string'
          ? b.content
          : Array.isArray(b.content)
            ? b.content.map((c: any) => c?.text ?? '').join('')
            : '',
      is_error: b.is_error === true,
    }));
}
