// A local stand-in for GitHub's artifact upload service, speaking the protocol the real
// @actions/artifact client speaks, so the real client uploads to it:
//  1. Twirp JSON RPC  POST /twirp/github.actions.results.api.v1.ArtifactService/CreateArtifact
//     -> { ok, signed_upload_url } (an Azure Blob SAS URL; here it points back at us)
//  2. Azure Blob block upload on that URL: PUT ?comp=block&blockid=… (one per chunk), then
//     PUT ?comp=blocklist with <BlockList><Latest>id</Latest>…</BlockList> (or one Put Blob)
//     https://learn.microsoft.com/rest/api/storageservices/put-block-list
//  3. Twirp FinalizeArtifact { name, size, hash } -> { ok, artifact_id }
// The runtime token is a JWT whose `scp` claim carries the backend ids (util.ts in the client).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const SERVICE = '/twirp/github.actions.results.api.v1.ArtifactService/';

export interface StoredArtifact {
  id: number;
  name: string;
  create: Record<string, unknown>;
  finalize?: Record<string, unknown>;
  /** The committed blob: the zip the client streamed. */
  blob?: Buffer;
}

export interface FakeArtifactService {
  url: string;
  /** A JWT-shaped ACTIONS_RUNTIME_TOKEN the client accepts. */
  token: string;
  artifacts: Map<string, StoredArtifact>;
  /** Method and path (no query) of every request, in order. */
  requests: string[];
  close(): Promise<void>;
}

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

export function runtimeToken(runId = 'run-backend-1', jobId = 'job-backend-1'): string {
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ scp: `Actions.GenericRead:x Actions.Results:${runId}:${jobId}` })}.sig`;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function startFakeArtifactService(): Promise<FakeArtifactService> {
  const token = runtimeToken();
  const artifacts = new Map<string, StoredArtifact>();
  const blocks = new Map<string, Buffer>();
  const requests: string[] = [];
  let nextId = 1000;
  let base = '';

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<unknown> => {
    const url = new URL(req.url ?? '/', base);
    requests.push(`${req.method} ${url.pathname}`);
    const data = await body(req);
    const json = (status: number, o: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(o));

    if (req.method === 'POST' && url.pathname.startsWith(SERVICE)) {
      if (req.headers.authorization !== `Bearer ${token}`)
        return json(401, { code: 'unauthenticated', msg: 'bad token' });
      const msg = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
      const name = String(msg.name);
      if (url.pathname.endsWith('/CreateArtifact')) {
        if (artifacts.has(name))
          return json(409, {
            code: 'already_exists',
            msg: 'an artifact with this name already exists on the workflow run',
          });
        artifacts.set(name, { id: nextId++, name, create: msg });
        return json(200, {
          ok: true,
          signed_upload_url: `${base}/devstoreaccount1/artifacts/${encodeURIComponent(name)}.zip?sig=fakesig&sv=2023-01-03`,
        });
      }
      if (url.pathname.endsWith('/FinalizeArtifact')) {
        const a = artifacts.get(name);
        if (!a?.blob) return json(404, { code: 'not_found', msg: 'no uploaded blob for this artifact' });
        a.finalize = msg;
        return json(200, { ok: true, artifact_id: String(a.id) });
      }
      return json(404, { code: 'bad_route', msg: 'no such method' });
    }

    if (req.method === 'PUT' && url.pathname.startsWith('/devstoreaccount1/artifacts/')) {
      const name = decodeURIComponent(
        url.pathname
          .split('/')
          .pop()!
          .replace(/\.zip$/, ''),
      );
      const a = artifacts.get(name);
      if (!a || url.searchParams.get('sig') !== 'fakesig') return res.writeHead(403).end();
      const comp = url.searchParams.get('comp');
      if (comp === 'block') blocks.set(`${name}/${url.searchParams.get('blockid')}`, data);
      else if (comp === 'blocklist') {
        const ids = [...data.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\//g)].map(
          (m) => m[1],
        );
        a.blob = Buffer.concat(ids.map((id) => blocks.get(`${name}/${id}`) ?? Buffer.alloc(0)));
      } else a.blob = data;
      return res
        .writeHead(201, {
          etag: '"0x1"',
          'last-modified': new Date().toUTCString(),
          'x-ms-request-id': 'fake',
          'x-ms-version': '2023-01-03',
        })
        .end();
    }
    res.writeHead(404).end();
  };
  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    token,
    artifacts,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
