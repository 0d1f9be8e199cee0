// The sticky pull-request comment's body (action/pr-comment.ts posts it): a hidden marker,
// the headline (solved, mean reward), the baseline diff (regressions first) and a link to
// the run. One comment per job: the marker is the same on every run of the same job, so a
// re-run finds its comment by the marker alone and updates it. GitHub refuses a comment body
// over 65,536 characters (https://docs.github.com/en/rest/issues/comments#create-an-issue-comment
// answers 422 "body is too long"), so the body is cut to fit. Pure.
import { createHash } from 'node:crypto';
import type { BaselineDiff } from '../result/baseline.js';
import type { JobResult } from '../result/job.js';
import { renderBaselineDiff } from './baseline-markdown.js';
import { cell, num, usd } from './markdown.js';

/** GitHub's limit on an issue comment's body, in characters. */
export const MAX_COMMENT_CHARS = 65_536;

/**
 * What "the same job" is: the workflow (GITHUB_WORKFLOW, its name or else its path), the
 * job's id in it (GITHUB_JOB) and its matrix values (the `matrix` input, toJSON(matrix)).
 * Re-runs and new pushes to the PR share it; two matrix entries or two jobs do not. The
 * key is hashed so the marker is short and says nothing of the matrix.
 */
export interface CommentIdentity {
  workflow?: string;
  job?: string;
  matrix?: string;
}

export function commentMarker(id: CommentIdentity): string {
  const matrix = id.matrix && id.matrix !== 'null' ? id.matrix : '';
  const key = createHash('sha256')
    .update(JSON.stringify([id.workflow ?? '', id.job ?? '', matrix]))
    .digest('hex')
    .slice(0, 16);
  return `<!-- terminal-bench-action:pr-comment:${key} -->`;
}

export interface CommentInput {
  marker: string;
  job: JobResult;
  agent: string;
  model?: string;
  diff?: BaselineDiff;
  baselineName?: string;
  /** `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}` (and the attempt). */
  runUrl?: string;
  /** The uploaded artifact holding report.html (GitHub's artifact page), when it was uploaded. */
  artifact?: { name: string; url: string };
  /** Shown beside the headline: the job and matrix values this comment belongs to. */
  label?: string;
}

export function headline(j: Pick<JobResult, 'n_passed' | 'n_trials' | 'mean_reward'>): string {
  const icon = j.n_passed === j.n_trials && j.n_trials > 0 ? '✅' : '❌';
  return `### ${icon} Terminal-Bench: ${j.n_passed}/${j.n_trials} trials solved · mean reward ${num(j.mean_reward)}`;
}

function facts(i: CommentInput): string {
  const j = i.job;
  const parts = [
    `agent ${cell(i.model ? `${i.agent} (${i.model})` : i.agent, 120)}`,
    `${j.n_tasks} task(s)`,
    j.counts.error ? `${j.counts.error} errored` : '',
    j.counts.cancelled ? `${j.counts.cancelled} cancelled` : '',
    j.cost_usd ? `cost ${usd(j.cost_usd, j.cost_estimated)}` : '',
    i.label ? cell(i.label, 200) : '',
  ];
  return parts.filter(Boolean).join(' · ');
}

/** The diff, cut at a line so the whole body stays under `room` characters, with a note. */
function fitted(text: string, room: number): string {
  if (text.length <= room) return text;
  const note =
    '\n\n_The comparison is cut here to fit a GitHub comment; the job summary and the artifact have all of it._';
  const cut = text.slice(0, Math.max(0, room - note.length));
  return `${cut.slice(0, Math.max(0, cut.lastIndexOf('\n')))}${note}`;
}

export function renderPrComment(i: CommentInput, max = MAX_COMMENT_CHARS): string {
  const head = [i.marker, headline(i.job), '', facts(i)].join('\n');
  const report = i.artifact
    ? ` · [the HTML report](${encodeURI(i.artifact.url)}) (\`report.html\` in artifact \`${i.artifact.name.replace(/`/g, "'")}\`)`
    : '';
  const link = i.runUrl ? `\n\n[The run, its summary and its artifact](${encodeURI(i.runUrl)})${report}` : '';
  const diff = i.diff
    ? `\n\n${renderBaselineDiff(i.diff, i.baselineName ?? 'baseline')}`
    : '\n\n_No baseline given: set the `baseline` input to compare with an earlier job._';
  const room = max - head.length - link.length;
  return `${head}${fitted(diff, room)}${link}\n`;
}
