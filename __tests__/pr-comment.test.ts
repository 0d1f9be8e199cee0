// The sticky PR comment against a local fake of GitHub's REST API (helpers/fake-github-api.ts):
// the real @actions/github client creates it, pages through every comment following the Link
// header to find its own by the marker among other bots' comments, updates it in place, and
// turns 401/403/404 and a refused connection into a warning that says "comment".
import { jest } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { logCommentOutcome, prTarget, upsertPrComment, type CommentOutcome } from '../src/action/pr-comment.js';
import { commentMarker } from '../src/report/pr-comment.js';
import { redactor } from '../src/report/scrub.js';
import { tempDir } from './helpers/cli.js';
import { startFakeGitHub, type FakeGitHub } from './helpers/fake-github-api.js';

let gh: FakeGitHub;
beforeEach(async () => {
  gh = await startFakeGitHub();
});
afterEach(() => gh.close());

const MARKER = commentMarker({ workflow: 'bench', job: 'tb2', matrix: '{"task":"a"}' });
const OTHER_MATRIX = commentMarker({ workflow: 'bench', job: 'tb2', matrix: '{"task":"b"}' });

function env(over: Record<string, string> = {}): NodeJS.ProcessEnv {
  const file = path.join(tempDir('tb2-event-'), 'event.json');
  writeFileSync(
    file,
    JSON.stringify({ action: 'synchronize', number: gh.number, pull_request: { number: gh.number } }),
  );
  return {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: file,
    GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
    GITHUB_API_URL: gh.url,
    ...over,
  };
}
const upsert = (body: string, over: Record<string, string> = {}, token = gh.token) =>
  upsertPrComment({ env: env(over), token, marker: MARKER, body: `${MARKER}\n${body}`, redact: redactor([token]) });
const writes = () => gh.requests.filter((r) => r.method !== 'GET');

test('first run: one list, one POST, the body carries the marker; the token only in the Authorization header', async () => {
  const out = await upsert('first');
  expect(out).toMatchObject({ kind: 'created' });
  expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
    'GET /repos/octo/bench/issues/7/comments',
    'POST /repos/octo/bench/issues/7/comments',
  ]);
  expect(gh.requests[0].query).toContain('per_page=100');
  expect(gh.comments).toHaveLength(1);
  expect(gh.comments[0].body).toBe(`${MARKER}\nfirst`);
  expect(gh.requests.every((r) => r.authorization === `token ${gh.token}`)).toBe(true);
  for (const r of gh.requests) expect(`${r.path}${r.query}${r.body ?? ''}`).not.toContain(gh.token);
});

test('a re-run among 150 other bot comments: pages followed by Link, its own found by marker, updated in place', async () => {
  for (let i = 0; i < 60; i++) gh.seed(`<!-- some-other-bot -->\ncoverage ${i}`);
  gh.seed(`${OTHER_MATRIX}\nthe other matrix job's comment`);
  for (let i = 0; i < 60; i++) gh.seed(`deploy preview ${i}`, 'netlify[bot]');
  gh.seed('Looks good to me', 'octocat');
  // A person quoting our comment carries the marker too, but is not ours.
  gh.seed(`> ${MARKER}\n> old numbers\n\nwhy did this drop?`, 'octocat');
  for (let i = 0; i < 28; i++) gh.seed(`<!-- lint -->\nlint ${i}`);
  // Ours is number 132: on page 2 of 100 per page.
  const ours = gh.seed(`${MARKER}\nold`);
  for (let i = 0; i < 19; i++) gh.seed(`late bot ${i}`);
  const before = gh.comments.length;

  const out = await upsert('new');
  expect(out).toEqual({ kind: 'updated', id: ours.id, url: ours.html_url });
  const gets = gh.requests.filter((r) => r.method === 'GET');
  expect(gets.map((r) => r.path)).toEqual([
    '/repos/octo/bench/issues/7/comments',
    // The Link header's own URL, as GitHub sends it.
    '/repositories/424242/issues/7/comments',
  ]);
  expect(gets[1].query).toContain('page=2');
  expect(writes().map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /repos/octo/bench/issues/comments/${ours.id}`]);
  expect(gh.comments).toHaveLength(before);
  expect(ours.body).toBe(`${MARKER}\nnew`);
  expect(gh.comments.find((c) => c.body.startsWith(OTHER_MATRIX))!.body).toContain("other matrix job's");
});

test('three runs of the same job: one POST, then PATCHes of the same comment; exactly one write each', async () => {
  const first = (await upsert('1')) as Extract<CommentOutcome, { id: number }>;
  const second = await upsert('2');
  const third = await upsert('3');
  expect(first.kind).toBe('created');
  expect(second).toMatchObject({ kind: 'updated', id: first.id });
  expect(third).toMatchObject({ kind: 'updated', id: first.id });
  expect(writes().map((r) => r.method)).toEqual(['POST', 'PATCH', 'PATCH']);
  expect(gh.comments).toHaveLength(1);
  expect(gh.comments[0].body).toBe(`${MARKER}\n3`);
});

describe('failures are warnings that say "comment", never errors', () => {
  let printed: string[];
  beforeEach(() => {
    printed = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (printed.push(String(s)), true));
  });
  afterEach(() => jest.restoreAllMocks());
  const warned = (o: CommentOutcome) => {
    logCommentOutcome(o);
    jest.restoreAllMocks();
    const log = printed.join('');
    expect(log).toMatch(/^::warning title=tb2%3A PR comment skipped::PR comment not written: /m);
    expect(log).not.toMatch(/::error/);
    expect(log).not.toContain(gh.token);
    return log;
  };

  test('401 bad credentials', async () => {
    const out = await upsert('x', {}, 'ghs_wrongtoken0123456789');
    expect(out).toMatchObject({ kind: 'failed' });
    expect(warned(out)).toContain('HTTP 401: Bad credentials');
  });
  test("403 from a fork's read-only token: the list works, the POST is refused", async () => {
    gh.fail = { status: 403, methods: ['POST', 'PATCH'] };
    const out = await upsert('x');
    expect(warned(out)).toMatch(/HTTP 403: Resource not accessible by integration.*pull-requests: write/);
    expect(gh.comments).toHaveLength(0);
  });
  test('404: no such PR or repository', async () => {
    gh.fail = { status: 404 };
    expect(warned(await upsert('x'))).toContain('HTTP 404: Not Found');
  });
  test('network: nothing listening', async () => {
    const closed = await startFakeGitHub();
    await closed.close();
    const out = await upsert('x', { GITHUB_API_URL: closed.url });
    expect(warned(out)).toContain('ECONNREFUSED');
  });
  test('a body over 65,536 characters is refused by GitHub (422), and is a warning too', async () => {
    const out = await upsert('x'.repeat(70_000));
    expect(warned(out)).toContain('body is too long');
  });
});

describe('which runs comment', () => {
  test('only pull_request and pull_request_target, with a PR number in the event file', async () => {
    expect(await prTarget(env())).toEqual({ owner: 'octo', repo: 'bench', number: 7 });
    expect(await prTarget(env({ GITHUB_EVENT_NAME: 'pull_request_target' }))).toMatchObject({ number: 7 });
    expect(await prTarget(env({ GITHUB_EVENT_NAME: 'push' }))).toEqual({ skip: 'not a pull request event (push)' });
    const noPr = path.join(tempDir('tb2-event-'), 'e.json');
    writeFileSync(noPr, '{"ref":"refs/heads/main"}');
    expect(await prTarget(env({ GITHUB_EVENT_PATH: noPr }))).toMatchObject({
      problem: expect.stringMatching(/no pull_request\.number/),
    });
    expect(await prTarget(env({ GITHUB_REPOSITORY: 'nope' }))).toMatchObject({
      problem: expect.stringMatching(/owner\/repo/),
    });
  });
  test('a PR run whose event file is unreadable: a warning that says comment, nothing asked of the API', async () => {
    const out = await upsert('x', { GITHUB_EVENT_PATH: '/nonexistent/event.json' });
    expect(out).toMatchObject({ kind: 'failed', why: expect.stringContaining('cannot read the event file') });
    expect(gh.requests).toEqual([]);
  });
  test('a push run writes nothing and asks nothing of the API', async () => {
    expect(await upsert('x', { GITHUB_EVENT_NAME: 'push' })).toMatchObject({ kind: 'skipped' });
    expect(gh.requests).toEqual([]);
  });
});
