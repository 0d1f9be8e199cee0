// The sticky pull-request comment (report/pr-comment.ts renders it), written with GitHub's
// REST API through @actions/github (octokit): on a pull_request or pull_request_target run,
// list the PR's comments, every page (octokit.paginate follows the Link header), find ours
// by its hidden marker alone (other bots post as the same github-actions[bot] user), then
// exactly one write: POST /repos/{owner}/{repo}/issues/{number}/comments the first time,
// PATCH /repos/{owner}/{repo}/issues/comments/{id} after that
// (https://docs.github.com/en/rest/issues/comments). The workflow needs
// `permissions: pull-requests: write`; a fork's read-only token gets 403. Any failure is a
// warning saying "comment", never an error: a comment is a courtesy, not the result. The
// token is only handed to octokit (an Authorization header); it is masked and never logged.
import * as core from '@actions/core';
import { readFile } from 'node:fs/promises';

/** The PR a run belongs to; or `skip` (not a PR run); or `problem` (a PR run we cannot place). */
export type PrTarget = { owner: string; repo: string; number: number } | { skip: string } | { problem: string };

const PR_EVENTS = ['pull_request', 'pull_request_target'];

/** From GITHUB_EVENT_NAME, GITHUB_REPOSITORY and `pull_request.number` of GITHUB_EVENT_PATH. */
export async function prTarget(env: NodeJS.ProcessEnv): Promise<PrTarget> {
  const event = env.GITHUB_EVENT_NAME ?? '';
  if (!PR_EVENTS.includes(event)) return { skip: `not a pull request event (${event || 'no GITHUB_EVENT_NAME'})` };
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo || rest.length)
    return { problem: `GITHUB_REPOSITORY is not owner/repo (${env.GITHUB_REPOSITORY})` };
  if (!env.GITHUB_EVENT_PATH) return { problem: 'no GITHUB_EVENT_PATH' };
  let payload: { pull_request?: { number?: unknown } };
  try {
    payload = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')) as typeof payload;
  } catch (err) {
    return {
      problem: `cannot read the event file ${env.GITHUB_EVENT_PATH} (${(err as Error).message.split('\n')[0]})`,
    };
  }
  const number = payload?.pull_request?.number;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1)
    return { problem: `the event file ${env.GITHUB_EVENT_PATH} has no pull_request.number` };
  return { owner, repo, number };
}

export type CommentOutcome =
  { kind: 'created' | 'updated'; id: number; url?: string } | { kind: 'skipped' | 'failed'; why: string };

export interface CommentRequest {
  env: NodeJS.ProcessEnv;
  token?: string;
  marker: string;
  body: string;
  /** Applied to every message before it reaches the log. */
  redact: (s: string) => string;
}

/** The network cause under octokit's "fetch failed": ECONNREFUSED, ENOTFOUND, a TLS error. */
function rootCause(err: unknown): string | undefined {
  for (let e = err as { cause?: unknown; code?: unknown } | undefined, i = 0; e && i < 5; i++) {
    if (typeof e.code === 'string') return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** An octokit error in one line: the HTTP status and GitHub's message, or the network cause. */
function why(err: unknown): string {
  const e = err as { status?: number; message?: string };
  const cause = rootCause(err);
  const head = typeof e.status === 'number' && e.status < 500 ? `HTTP ${e.status}: ` : '';
  const msg = (e.message ?? String(err)).split('\n')[0];
  const hint = [401, 403, 404].includes(e.status ?? 0)
    ? ' (the token needs `permissions: pull-requests: write`; a pull request from a fork gets a read-only one)'
    : '';
  return `${head}${msg}${cause && !msg.includes(cause) ? ` (${cause})` : ''}${hint}`;
}

export async function upsertPrComment(req: CommentRequest): Promise<CommentOutcome> {
  const target = await prTarget(req.env);
  if ('skip' in target) return { kind: 'skipped', why: target.skip };
  if ('problem' in target) return { kind: 'failed', why: target.problem };
  if (!req.token) return { kind: 'failed', why: 'no github-token' };
  // Loaded only on a PR run: @actions/github reads the event file and sets up its client when imported.
  const { getOctokit } = await import('@actions/github');
  const octokit = getOctokit(req.token, { baseUrl: req.env.GITHUB_API_URL || 'https://api.github.com' });
  const where = { owner: target.owner, repo: target.repo };
  try {
    let found: { id: number } | undefined;
    await octokit.paginate(
      octokit.rest.issues.listComments,
      { ...where, issue_number: target.number, per_page: 100 },
      (res, done) => {
        // Ours begins with the marker (report/pr-comment.ts); a reply quoting it does not.
        found ??= res.data.find((c) => typeof c.body === 'string' && c.body.trimStart().startsWith(req.marker));
        if (found) done();
        return [];
      },
    );
    if (found) {
      const res = await octokit.rest.issues.updateComment({ ...where, comment_id: found.id, body: req.body });
      return { kind: 'updated', id: res.data.id, url: res.data.html_url };
    }
    const res = await octokit.rest.issues.createComment({ ...where, issue_number: target.number, body: req.body });
    return { kind: 'created', id: res.data.id, url: res.data.html_url };
  } catch (err) {
    return { kind: 'failed', why: req.redact(why(err)) };
  }
}

/** One log line per outcome; a failure is a warning that says "comment", never an error. */
export function logCommentOutcome(o: CommentOutcome): void {
  if ('id' in o) core.info(`tb2: PR comment ${o.kind} (id ${o.id})${o.url ? `: ${o.url}` : ''}`);
  else if (o.kind === 'skipped') core.info(`tb2: no PR comment: ${o.why}`);
  else core.warning(`PR comment not written: ${o.why}`, { title: 'tb2: PR comment skipped' });
}
