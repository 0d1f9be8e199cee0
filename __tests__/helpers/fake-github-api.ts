// A local stand-in for the part of GitHub's REST API the sticky PR comment uses, with its
// real shapes (https://docs.github.com/en/rest/issues/comments):
//  GET   /repos/{owner}/{repo}/issues/{n}/comments?per_page&page  -> 200 [comment], and a Link
//        header whose URLs use the /repositories/{id}/… form GitHub really sends
//  POST  /repos/{owner}/{repo}/issues/{n}/comments {body}          -> 201 comment
//  PATCH /repos/{owner}/{repo}/issues/comments/{id} {body}         -> 200 comment
// Authorization must be "token <token>" (what @actions/github sends), else 401 "Bad
// credentials"; a body over 65,536 characters is 422 as on GitHub; `fail` makes chosen
// requests answer 403/404 the way GitHub does for a read-only token or a missing PR.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeComment {
  id: number;
  node_id: string;
  url: string;
  html_url: string;
  issue_url: string;
  body: string;
  user: { login: string; id: number; type: 'Bot' | 'User' };
  author_association: string;
  created_at: string;
  updated_at: string;
}

export interface SeenRequest {
  method: string;
  path: string;
  query: string;
  authorization?: string;
  body?: string;
}

export interface FakeGitHub {
  url: string;
  token: string;
  owner: string;
  repo: string;
  number: number;
  comments: FakeComment[];
  requests: SeenRequest[];
  /** Answer matching requests with this status (and GitHub's message for it). */
  fail?: { status: 401 | 403 | 404; methods?: string[] };
  /** Add a comment by someone else (another bot by default). */
  seed(body: string, login?: string): FakeComment;
  close(): Promise<void>;
}

const REPO_ID = 424242;
const MESSAGES: Record<number, string> = {
  401: 'Bad credentials',
  403: 'Resource not accessible by integration',
  404: 'Not Found',
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeGitHub(token = 'ghs_faketoken0123456789abcdefghijklmnop'): Promise<FakeGitHub> {
  let base = '';
  let nextId = 1_000_000;
  const fake: FakeGitHub = {
    url: '',
    token,
    owner: 'octo',
    repo: 'bench',
    number: 7,
    comments: [],
    requests: [],
    seed(body, login = 'github-actions[bot]') {
      const id = nextId++;
      const now = new Date().toISOString();
      const c: FakeComment = {
        id,
        node_id: `IC_${id}`,
        url: `${base}/repos/${fake.owner}/${fake.repo}/issues/comments/${id}`,
        html_url: `https://github.example/${fake.owner}/${fake.repo}/pull/${fake.number}#issuecomment-${id}`,
        issue_url: `${base}/repos/${fake.owner}/${fake.repo}/issues/${fake.number}`,
        body,
        user: { login, id: login.endsWith('[bot]') ? 41898282 : 1, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
        author_association: login.endsWith('[bot]') ? 'NONE' : 'MEMBER',
        created_at: now,
        updated_at: now,
      };
      fake.comments.push(c);
      return c;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };

  const json = (res: ServerResponse, status: number, o: unknown, headers: Record<string, string> = {}) =>
    res
      .writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'x-github-media-type': 'github.v3',
        ...headers,
      })
      .end(JSON.stringify(o));
  const error = (res: ServerResponse, status: number, extra: Record<string, unknown> = {}) =>
    json(res, status, {
      message: MESSAGES[status] ?? 'Validation Failed',
      documentation_url: 'https://docs.github.com/rest/issues/comments',
      status: String(status),
      ...extra,
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    const body = await readBody(req);
    fake.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: url.search,
      authorization: req.headers.authorization,
      body: body || undefined,
    });
    if (req.headers.authorization !== `token ${fake.token}`) return error(res, 401);
    if (fake.fail && (!fake.fail.methods || fake.fail.methods.includes(req.method ?? '')))
      return error(res, fake.fail.status);
    const repoPath = `/repos/${fake.owner}/${fake.repo}`;
    const list = [
      `${repoPath}/issues/${fake.number}/comments`,
      `/repositories/${REPO_ID}/issues/${fake.number}/comments`,
    ];
    if (req.method === 'GET' && list.includes(url.pathname)) {
      const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
      const page = Number(url.searchParams.get('page') ?? 1);
      const last = Math.max(1, Math.ceil(fake.comments.length / perPage));
      const link = (p: number) =>
        `<${base}/repositories/${REPO_ID}/issues/${fake.number}/comments?per_page=${perPage}&page=${p}>`;
      const rels = [
        page < last ? `${link(page + 1)}; rel="next"` : '',
        page < last ? `${link(last)}; rel="last"` : '',
        page > 1 ? `${link(1)}; rel="first"` : '',
        page > 1 ? `${link(page - 1)}; rel="prev"` : '',
      ].filter(Boolean);
      return json(
        res,
        200,
        fake.comments.slice((page - 1) * perPage, page * perPage),
        rels.length ? { link: rels.join(', ') } : {},
      );
    }
    const parsed = () => JSON.parse(body || '{}') as { body?: unknown };
    const tooLong = (b: unknown) => typeof b === 'string' && b.length > 65536;
    if (req.method === 'POST' && url.pathname === list[0]) {
      const b = parsed().body;
      if (typeof b !== 'string') return error(res, 422, { message: 'Invalid request.\n\n"body" wasn\'t supplied.' });
      if (tooLong(b))
        return error(res, 422, {
          errors: [
            {
              resource: 'IssueComment',
              code: 'custom',
              field: 'body',
              message: 'body is too long (maximum is 65536 characters)',
            },
          ],
        });
      return json(res, 201, fake.seed(b));
    }
    const m = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(url.pathname);
    if (req.method === 'PATCH' && m && url.pathname.startsWith(repoPath)) {
      const c = fake.comments.find((x) => x.id === Number(m[1]));
      if (!c) return error(res, 404);
      const b = parsed().body;
      if (typeof b !== 'string' || tooLong(b)) return error(res, 422);
      c.body = b;
      c.updated_at = new Date().toISOString();
      return json(res, 200, c);
    }
    return error(res, 404);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => res.writeHead(500).end(err.message));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.url = base;
  return fake;
}
