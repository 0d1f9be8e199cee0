// A scripted fake of the OpenAI Responses API (POST /v1/responses, `stream: true`) on
// 127.0.0.1, so the real codex and opencode binaries run their own tool loops against
// answers we choose. Streams are Server-Sent Events in the wire format of
// https://platform.openai.com/docs/api-reference/responses-streaming (response.created,
// response.output_item.added/done, response.output_text.delta, function_call_arguments.delta,
// response.completed with usage). A scripted shell command is sent as a call of whichever
// shell tool the request offers (codex: exec_command / shell_command / shell; opencode: bash).
// Requests without tools (opencode's title request) are answered off-script. Every request
// is logged (method, path, model, tools, tool outputs, whether a key came) for assertions.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, inflateSync, brotliDecompressSync } from 'node:zlib';

export interface Usage {
  input_tokens: number;
  /** The part of input_tokens read from the prompt cache (input_tokens_details.cached_tokens). */
  cached_tokens?: number;
  output_tokens: number;
  reasoning_tokens?: number;
}

/** One answer of the model: a shell command to run (the CLI runs it and asks again) or final text. */
export type Turn = { shell: string; text?: string; usage: Usage } | { text: string; usage: Usage };

export interface FakeOptions {
  /** Answer every request with this HTTP error (401 for a bad key, 429 for a quota). */
  failAll?: { status: number; code: string; message: string };
}

export interface LoggedRequest {
  method: string;
  path: string;
  stream?: boolean;
  model?: string;
  tools: string[];
  /** function_call_output items of the input: what the CLI's tools returned. */
  toolOutputs: string[];
  /** The turn answered (index into the script), "side" for an off-script call, "error". */
  answered: number | 'side' | 'error';
  /** The Authorization header (Bearer <key>) or x-api-key, as sent. */
  auth?: string;
  /** Which shell tool the scripted command went to. */
  shellTool?: string;
}

export interface FakeOpenAI {
  /** http://127.0.0.1:<port>/v1 (what OPENAI_BASE_URL takes). */
  url: string;
  requests: LoggedRequest[];
  /** Usage of every scripted answer sent so far, summed: what the CLI should report. */
  reported: Required<Usage>;
  close(): Promise<void>;
}

const SIDE_USAGE: Usage = { input_tokens: 0, output_tokens: 0 };

export async function startFakeOpenAI(script: Turn[], opts: FakeOptions = {}): Promise<FakeOpenAI> {
  const requests: LoggedRequest[] = [];
  const reported = { input_tokens: 0, cached_tokens: 0, output_tokens: 0, reasoning_tokens: 0 };
  let next = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = safeJson(await readBody(req));
    const path = (req.url ?? '/').split('?')[0];
    const tools: string[] = Array.isArray(body?.tools)
      ? body.tools.map((t: any) => t?.name ?? t?.function?.name ?? t?.type).filter(Boolean)
      : [];
    const auth = req.headers.authorization ?? (req.headers['x-api-key'] as string | undefined);
    const entry: LoggedRequest = {
      method: req.method ?? '',
      path,
      stream: body?.stream === true,
      model: typeof body?.model === 'string' ? body.model : undefined,
      tools,
      toolOutputs: outputsOf(body),
      answered: 'side',
      auth,
    };
    requests.push(entry);

    if (opts.failAll) {
      entry.answered = 'error';
      return sendJson(res, opts.failAll.status, {
        error: { message: opts.failAll.message, type: 'invalid_request_error', param: null, code: opts.failAll.code },
      });
    }
    if (req.method === 'GET' && path.endsWith('/models'))
      return sendJson(res, 200, {
        object: 'list',
        data: [{ id: 'gpt-5', object: 'model', created: 1754000000, owned_by: 'openai' }],
      });
    if (req.method !== 'POST' || !path.endsWith('/responses'))
      return sendJson(res, 404, {
        error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' },
      });

    // The tool loop sends the tool list; side calls (opencode's session title) do not.
    const onScript = tools.length > 0 && next < script.length;
    const turn: Turn = onScript ? script[next] : { text: 'Hello task', usage: SIDE_USAGE };
    entry.answered = onScript ? next++ : 'side';
    if (onScript) add(reported, turn.usage);
    const model = entry.model ?? 'gpt-5';
    const items = itemsOf(turn, tools);
    entry.shellTool = items.find((i) => i.type === 'function_call')?.name;
    if (entry.stream === false) return sendJson(res, 200, responseShell(model, 'completed', items, turn.usage));
    return sendStream(res, model, items, turn.usage);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(err), type: 'server_error' } });
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    reported,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Item =
  | { type: 'message'; id: string; role: 'assistant'; status: string; content: Array<Record<string, unknown>> }
  | { type: 'function_call'; id: string; call_id: string; name: string; arguments: string; status: string };

const id = (p: string) => `${p}_${randomBytes(12).toString('hex')}`;

/** The scripted command as a call of the shell tool the client offered. */
function shellCall(command: string, tools: string[]): { name: string; args: Record<string, unknown> } {
  if (tools.includes('exec_command')) return { name: 'exec_command', args: { cmd: command } };
  if (tools.includes('shell_command')) return { name: 'shell_command', args: { command } };
  if (tools.includes('shell')) return { name: 'shell', args: { command: ['bash', '-lc', command] } };
  if (tools.includes('bash')) return { name: 'bash', args: { command, description: 'Run the command' } };
  throw new Error(`fake-openai: no shell tool among ${tools.join(', ')}`);
}

function itemsOf(turn: Turn, tools: string[]): Item[] {
  const items: Item[] = [];
  if (turn.text)
    items.push({
      type: 'message',
      id: id('msg'),
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: turn.text, annotations: [] }],
    });
  if ('shell' in turn) {
    const c = shellCall(turn.shell, tools);
    items.push({
      type: 'function_call',
      id: id('fc'),
      call_id: id('call'),
      name: c.name,
      arguments: JSON.stringify(c.args),
      status: 'completed',
    });
  }
  return items;
}

function usageOf(u: Usage) {
  return {
    input_tokens: u.input_tokens,
    input_tokens_details: { cached_tokens: u.cached_tokens ?? 0 },
    output_tokens: u.output_tokens,
    output_tokens_details: { reasoning_tokens: u.reasoning_tokens ?? 0 },
    total_tokens: u.input_tokens + u.output_tokens,
  };
}

let respCounter = 0;
function responseShell(model: string, status: string, output: Item[], usage?: Usage) {
  return {
    id: `resp_${(++respCounter).toString().padStart(4, '0')}${randomBytes(8).toString('hex')}`,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status,
    model,
    output,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    usage: usage ? usageOf(usage) : null,
  };
}

function sendStream(res: ServerResponse, model: string, items: Item[], usage: Usage): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'x-request-id': `req_${randomBytes(8).toString('hex')}`,
  });
  let seq = 0;
  const event = (type: string, data: Record<string, unknown>) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`);
  const shell = responseShell(model, 'in_progress', []);
  event('response.created', { response: shell });
  event('response.in_progress', { response: shell });
  items.forEach((item, output_index) => {
    if (item.type === 'message') {
      const text = String(item.content[0].text);
      event('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', content: [] } });
      const part = { type: 'output_text', text: '', annotations: [] };
      event('response.content_part.added', { item_id: item.id, output_index, content_index: 0, part });
      // Two deltas, so the client really has to assemble the text.
      const half = Math.ceil(text.length / 2);
      for (const delta of [text.slice(0, half), text.slice(half)])
        event('response.output_text.delta', { item_id: item.id, output_index, content_index: 0, delta, logprobs: [] });
      event('response.output_text.done', { item_id: item.id, output_index, content_index: 0, text, logprobs: [] });
      event('response.content_part.done', {
        item_id: item.id,
        output_index,
        content_index: 0,
        part: { ...part, text },
      });
    } else {
      event('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', arguments: '' } });
      const half = Math.ceil(item.arguments.length / 2);
      for (const delta of [item.arguments.slice(0, half), item.arguments.slice(half)])
        event('response.function_call_arguments.delta', { item_id: item.id, output_index, delta });
      event('response.function_call_arguments.done', { item_id: item.id, output_index, arguments: item.arguments });
    }
    event('response.output_item.done', { output_index, item });
  });
  event('response.completed', { response: { ...shell, status: 'completed', output: items, usage: usageOf(usage) } });
  res.end();
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-request-id': `req_${randomBytes(8).toString('hex')}`,
  });
  res.end(JSON.stringify(body));
}

function add(sum: Required<Usage>, u: Usage): void {
  sum.input_tokens += u.input_tokens;
  sum.cached_tokens += u.cached_tokens ?? 0;
  sum.output_tokens += u.output_tokens;
  sum.reasoning_tokens += u.reasoning_tokens ?? 0;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  const enc = String(req.headers['content-encoding'] ?? '');
  const decoded =
    enc === 'gzip'
      ? gunzipSync(raw)
      : enc === 'deflate'
        ? inflateSync(raw)
        : enc === 'br'
          ? brotliDecompressSync(raw)
          : raw;
  return decoded.toString('utf8');
}

function safeJson(raw: string): any {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function outputsOf(body: any): string[] {
  if (!Array.isArray(body?.input)) return [];
  // Only the outputs after the last assistant turn: what this request answers.
  return body.input
    .filter((i: any) => i?.type === 'function_call_output')
    .slice(-1)
    .map((i: any) =>
      typeof i.output === 'string'
        ? i.output
        : Array.isArray(i.output)
          ? i.output.map((c: any) => c?.text ?? '').join('')
          : JSON.stringify(i.output),
    );
}
