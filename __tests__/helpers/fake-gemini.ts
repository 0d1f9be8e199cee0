// A scripted fake of the Gemini API (generativelanguage.googleapis.com) on 127.0.0.1, so the
// real gemini-cli runs its own tool loop against answers we choose. It speaks the wire format
// of https://ai.google.dev/api/generate-content: `POST /v1beta/models/<model>:streamGenerateContent?alt=sse`
// answered with Server-Sent Events, one GenerateContentResponse per `data:` line (candidates
// with content parts — text or functionCall — then a finishReason and usageMetadata on the last
// chunk); `:generateContent` and `:countTokens` for side calls. The key arrives in
// `x-goog-api-key`. Every request is logged for assertions.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GeminiUsage {
  promptTokenCount: number;
  candidatesTokenCount: number;
  /** Part of promptTokenCount served from the context cache. */
  cachedContentTokenCount?: number;
  thoughtsTokenCount?: number;
}

/** One answer of the model: function calls (gemini-cli runs them and asks again) or final text. */
export type GeminiTurn =
  | { calls: Array<{ name: string; args: Record<string, unknown> }>; text?: string; usage: GeminiUsage }
  | { text: string; usage: GeminiUsage };

export interface FakeGeminiOptions {
  /** Answer every request with this HTTP error (401 for a bad key, 429 for a quota). */
  failAll?: { status: number; message: string; statusText: string };
}

export interface GeminiRequest {
  method: string;
  path: string;
  model?: string;
  /** streamGenerateContent, generateContent, countTokens… */
  action?: string;
  /** Declared function tools. */
  nTools: number;
  /** functionResponse parts of the last user content: what the CLI's tools returned. */
  functionResponses: Array<{ name: string; response: unknown }>;
  answered: number | 'side' | 'error';
  /** The key came in x-goog-api-key (and not in the URL). */
  keyHeader: boolean;
  keyInUrl: boolean;
}

export interface FakeGemini {
  /** GOOGLE_GEMINI_BASE_URL: no /v1beta (the SDK appends it). */
  url: string;
  requests: GeminiRequest[];
  /** Usage of every scripted answer sent so far, summed. */
  reported: Required<GeminiUsage>;
  close(): Promise<void>;
}

const SIDE_USAGE: GeminiUsage = { promptTokenCount: 0, candidatesTokenCount: 0 };

export async function startFakeGemini(script: GeminiTurn[], opts: FakeGeminiOptions = {}): Promise<FakeGemini> {
  const requests: GeminiRequest[] = [];
  const reported = { promptTokenCount: 0, candidatesTokenCount: 0, cachedContentTokenCount: 0, thoughtsTokenCount: 0 };
  let next = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = safeJson(await readBody(req));
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/v1(?:beta|alpha)?\/models\/([^:]+):(\w+)$/.exec(url.pathname);
    const entry: GeminiRequest = {
      method: req.method ?? '',
      path: url.pathname,
      model: m?.[1],
      action: m?.[2],
      nTools: toolsOf(body),
      functionResponses: functionResponsesOf(body),
      answered: 'side',
      keyHeader: Boolean(req.headers['x-goog-api-key']),
      keyInUrl: url.searchParams.has('key'),
    };
    requests.push(entry);

    if (opts.failAll) {
      entry.answered = 'error';
      return sendJson(res, opts.failAll.status, {
        error: { code: opts.failAll.status, message: opts.failAll.message, status: opts.failAll.statusText },
      });
    }
    if (req.method !== 'POST' || !m)
      return sendJson(res, 404, { error: { code: 404, message: `no route ${url.pathname}`, status: 'NOT_FOUND' } });
    if (entry.action === 'countTokens') return sendJson(res, 200, { totalTokens: 100 });

    // The agent loop declares the tools; side calls (routing, checks, titles) do not.
    const onScript = entry.action === 'streamGenerateContent' && entry.nTools > 0 && next < script.length;
    const turn: GeminiTurn = onScript ? script[next] : { text: sideAnswer(body), usage: SIDE_USAGE };
    entry.answered = onScript ? next++ : 'side';
    if (onScript) add(reported, turn.usage);
    const chunks = chunksOf(turn, entry.model ?? 'gemini-2.5-pro');
    if (entry.action === 'streamGenerateContent') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const c of chunks) res.write(`data: ${JSON.stringify(c)}\r\n\r\n`);
      return void res.end();
    }
    // Unary: one response holding every part.
    const parts = chunks.flatMap((c) => c.candidates[0].content.parts);
    const last = chunks.at(-1)!;
    return sendJson(res, 200, { ...last, candidates: [{ ...last.candidates[0], content: { role: 'model', parts } }] });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) sendJson(res, 500, { error: { code: 500, message: String(err), status: 'INTERNAL' } });
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

interface Chunk {
  candidates: Array<{ content: { role: 'model'; parts: unknown[] }; index: number; finishReason?: string }>;
  usageMetadata?: Record<string, number>;
  modelVersion: string;
  responseId: string;
}

/** Text in two chunks (the client must assemble it), calls and usage in the last one. */
function chunksOf(turn: GeminiTurn, model: string): Chunk[] {
  const responseId = `resp-${Math.random().toString(36).slice(2, 12)}`;
  const chunk = (parts: unknown[], last: boolean): Chunk => ({
    candidates: [{ content: { role: 'model', parts }, index: 0, ...(last ? { finishReason: 'STOP' } : {}) }],
    ...(last ? { usageMetadata: usageMetadataOf(turn.usage) } : {}),
    modelVersion: model,
    responseId,
  });
  const out: Chunk[] = [];
  if (turn.text) {
    const half = Math.ceil(turn.text.length / 2);
    out.push(chunk([{ text: turn.text.slice(0, half) }], false));
    out.push(chunk([{ text: turn.text.slice(half) }], false));
  }
  const calls = 'calls' in turn ? turn.calls.map((c) => ({ functionCall: { name: c.name, args: c.args } })) : [];
  out.push(chunk(calls, true));
  return out;
}

function usageMetadataOf(u: GeminiUsage): Record<string, number> {
  const total = u.promptTokenCount + u.candidatesTokenCount + (u.thoughtsTokenCount ?? 0);
  return {
    promptTokenCount: u.promptTokenCount,
    candidatesTokenCount: u.candidatesTokenCount,
    totalTokenCount: total,
    ...(u.cachedContentTokenCount ? { cachedContentTokenCount: u.cachedContentTokenCount } : {}),
    ...(u.thoughtsTokenCount ? { thoughtsTokenCount: u.thoughtsTokenCount } : {}),
  };
}

/** A JSON side call (responseSchema: routing, next-speaker checks) gets `{}`-ish JSON; others "ok". */
function sideAnswer(body: any): string {
  const cfg = body?.generationConfig ?? body?.config;
  if (cfg?.responseMimeType === 'application/json') return '{}';
  return 'ok';
}

function add(sum: Required<GeminiUsage>, u: GeminiUsage): void {
  sum.promptTokenCount += u.promptTokenCount;
  sum.candidatesTokenCount += u.candidatesTokenCount;
  sum.cachedContentTokenCount += u.cachedContentTokenCount ?? 0;
  sum.thoughtsTokenCount += u.thoughtsTokenCount ?? 0;
}

function toolsOf(body: any): number {
  if (!Array.isArray(body?.tools)) return 0;
  return body.tools.reduce(
    (n: number, t: any) => n + (Array.isArray(t?.functionDeclarations) ? t.functionDeclarations.length : 0),
    0,
  );
}

function functionResponsesOf(body: any): GeminiRequest['functionResponses'] {
  const last = Array.isArray(body?.contents) ? body.contents.at(-1) : undefined;
  if (!last || !Array.isArray(last.parts)) return [];
  return last.parts
    .filter((p: any) => p?.functionResponse)
    .map((p: any) => ({ name: p.functionResponse.name, response: p.functionResponse.response }));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
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
