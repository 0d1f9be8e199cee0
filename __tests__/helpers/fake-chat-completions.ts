// A scripted fake of the OpenAI Chat Completions API (POST /v1/chat/completions) on
// 127.0.0.1, so the real qwen-code runs its own tool loop against answers we choose. It
// speaks the wire format of https://platform.openai.com/docs/api-reference/chat-streaming:
// with `stream: true`, Server-Sent Events of `chat.completion.chunk` objects (the role, the
// text in two deltas the client must assemble, tool_calls whose arguments arrive in two
// pieces, a finish_reason), then — when the request asks for `stream_options.include_usage`
// — a last chunk with empty choices and the usage, then `data: [DONE]`. Without `stream`, one
// `chat.completion`. A scripted shell command goes to whichever shell tool the request offers
// (qwen-code: run_shell_command). Requests without tools (side calls) are answered off-script.
// Every request is logged (model, tools, tool results, the Authorization header) for asserts.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatUsage {
  /** Every prompt token, cached ones included. */
  prompt_tokens: number;
  completion_tokens: number;
  /** prompt_tokens_details.cached_tokens */
  cached_tokens?: number;
}

/** One answer of the model: a shell command (the CLI runs it and asks again) or final text. */
export type ChatTurn = { shell: string; text?: string; usage: ChatUsage } | { text: string; usage: ChatUsage };

export interface FakeChatOptions {
  /** Answer every request with this HTTP error (401 for a bad key, 429 for a quota). */
  failAll?: { status: number; code: string; message: string };
}

export interface ChatRequest {
  method: string;
  path: string;
  stream?: boolean;
  includeUsage?: boolean;
  model?: string;
  tools: string[];
  /** Contents of the `tool` messages since the last assistant message: what the tools returned. */
  toolResults: string[];
  answered: number | 'side' | 'error';
  /** The Authorization header as sent. */
  auth?: string;
  /** Every other header and the URL, to assert the key went nowhere else. */
  otherHeaders: string;
  url: string;
  body: string;
}

export interface FakeChat {
  /** http://127.0.0.1:<port>/v1 (what OPENAI_BASE_URL takes). */
  url: string;
  requests: ChatRequest[];
  /** Usage of every scripted answer sent so far, summed: what the CLI should report. */
  reported: Required<ChatUsage>;
  close(): Promise<void>;
}

const SIDE_USAGE: ChatUsage = { prompt_tokens: 0, completion_tokens: 0 };
const SHELL_TOOLS = ['run_shell_command', 'shell', 'bash'];

export async function startFakeChat(script: ChatTurn[], opts: FakeChatOptions = {}): Promise<FakeChat> {
  const requests: ChatRequest[] = [];
  const reported = { prompt_tokens: 0, completion_tokens: 0, cached_tokens: 0 };
  let next = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req);
    const body = safeJson(raw);
    const path = (req.url ?? '/').split('?')[0];
    const tools: string[] = Array.isArray(body?.tools)
      ? body.tools.map((t: any) => t?.function?.name ?? t?.name).filter(Boolean)
      : [];
    const { authorization, ...rest } = req.headers;
    const entry: ChatRequest = {
      method: req.method ?? '',
      path,
      stream: body?.stream === true,
      includeUsage: body?.stream_options?.include_usage === true,
      model: typeof body?.model === 'string' ? body.model : undefined,
      tools,
      toolResults: toolResultsOf(body),
      answered: 'side',
      auth: authorization,
      otherHeaders: JSON.stringify(rest),
      url: req.url ?? '',
      body: raw,
    };
    requests.push(entry);

    if (opts.failAll) {
      entry.answered = 'error';
      return sendJson(res, opts.failAll.status, {
        error: { message: opts.failAll.message, type: 'invalid_request_error', param: null, code: opts.failAll.code },
      });
    }
    if (req.method === 'GET' && path.endsWith('/models'))
      return sendJson(res, 200, { object: 'list', data: [{ id: 'qwen3-coder-plus', object: 'model', owned_by: 'x' }] });
    if (req.method !== 'POST' || !path.endsWith('/chat/completions'))
      return sendJson(res, 404, {
        error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' },
      });

    const onScript = tools.length > 0 && next < script.length;
    const turn: ChatTurn = onScript ? script[next] : { text: sideAnswer(body), usage: SIDE_USAGE };
    entry.answered = onScript ? next++ : 'side';
    if (onScript) add(reported, turn.usage);
    const model = entry.model ?? 'qwen3-coder-plus';
    const shellTool = tools.find((t) => SHELL_TOOLS.includes(t)) ?? 'run_shell_command';
    const call =
      'shell' in turn
        ? {
            id: `call_${Math.random().toString(36).slice(2, 12)}`,
            name: shellTool,
            args: JSON.stringify({ command: turn.shell }),
          }
        : undefined;
    const id = `chatcmpl-${Math.random().toString(36).slice(2, 12)}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = usageOf(turn.usage);
    const finish = call ? 'tool_calls' : 'stop';
    if (!entry.stream)
      return sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: turn.text ?? null,
              ...(call
                ? {
                    tool_calls: [
                      { id: call.id, type: 'function', function: { name: call.name, arguments: call.args } },
                    ],
                  }
                : {}),
            },
            finish_reason: finish,
          },
        ],
        usage,
      });

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const chunk = (delta: unknown, finish_reason: string | null = null) =>
      res.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason }] })}\n\n`,
      );
    chunk({ role: 'assistant', content: '' });
    if (turn.text) {
      const half = Math.ceil(turn.text.length / 2);
      chunk({ content: turn.text.slice(0, half) });
      chunk({ content: turn.text.slice(half) });
    }
    if (call) {
      const cut = Math.ceil(call.args.length / 2);
      chunk({
        tool_calls: [
          {
            index: 0,
            id: call.id,
            type: 'function',
            function: { name: call.name, arguments: call.args.slice(0, cut) },
          },
        ],
      });
      chunk({ tool_calls: [{ index: 0, function: { arguments: call.args.slice(cut) } }] });
    }
    chunk({}, finish);
    if (entry.includeUsage)
      res.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`,
      );
    res.write('data: [DONE]\n\n');
    res.end();
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

function usageOf(u: ChatUsage) {
  return {
    prompt_tokens: u.prompt_tokens,
    completion_tokens: u.completion_tokens,
    total_tokens: u.prompt_tokens + u.completion_tokens,
    ...(u.cached_tokens ? { prompt_tokens_details: { cached_tokens: u.cached_tokens } } : {}),
  };
}

/** A JSON side call (response_format json) gets `{}`; others "ok". */
function sideAnswer(body: any): string {
  return body?.response_format?.type?.startsWith('json') ? '{}' : 'ok';
}

function add(sum: Required<ChatUsage>, u: ChatUsage): void {
  sum.prompt_tokens += u.prompt_tokens;
  sum.completion_tokens += u.completion_tokens;
  sum.cached_tokens += u.cached_tokens ?? 0;
}

function toolResultsOf(body: any): string[] {
  const msgs: any[] = Array.isArray(body?.messages) ? body.messages : [];
  const out: string[] = [];
  for (let i = msgs.length - 1; i >= 0 && msgs[i]?.role !== 'assistant'; i--)
    if (msgs[i]?.role === 'tool')
      out.unshift(typeof msgs[i].content === 'string' ? msgs[i].content : JSON.stringify(msgs[i].content));
  return out;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
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
