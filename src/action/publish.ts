// After the job: make the job folder safe to share, then hand the results to GitHub in the
// order that survives a cancel best (GitHub sends SIGTERM 7.5 s after SIGINT, then kills):
// scrub secrets, step outputs and failing-test annotations, job summary (the baseline diff
// first), the sticky PR comment, then the artifact upload, which can be slow, and last a
// summary line and the artifact-id output once the upload is done.
import * as core from '@actions/core';
import path from 'node:path';
import type { ActionSettings } from '../config/action-inputs.js';
import { diffAgainstBaseline, type BaselineDiff, type BaselineJob } from '../result/baseline.js';
import type { JobOutcome } from '../trial/job.js';
import { defaultArtifactName, uploadJobFolder } from './artifacts.js';
import { REPORT_FILE, writeReportQuietly } from '../commands/report.js';
import { logCommentOutcome, upsertPrComment } from './pr-comment.js';
import { renderBaselineDiff } from '../report/baseline-markdown.js';
import { escapeHtml } from '../report/markdown.js';
import type { TrialNotes } from '../report/notes.js';
import { stepOutputs } from '../report/outputs.js';
import { commentMarker, renderPrComment } from '../report/pr-comment.js';
import { redactor, scrubFolder } from '../report/scrub.js';
import { renderSummary } from '../report/summary.js';
import { failedTestAnnotations } from '../report/test-annotations.js';

export interface PublishInput {
  outcome: JobOutcome;
  settings: ActionSettings;
  notes: Map<string, TrialNotes>;
  secrets: string[];
  env: NodeJS.ProcessEnv;
  /** Read before the run (a bad path fails fast); compared here. */
  baseline?: BaselineJob;
}

export async function publishToGitHub(input: PublishInput): Promise<{ diff?: BaselineDiff }> {
  const { outcome, settings, notes, secrets, env, baseline } = input;
  const { config } = settings;
  const outputDir = path.resolve(config.outputDir);
  const redact = redactor(secrets);
  const scrub = await scrubFolder(outputDir, secrets);
  if (scrub.replaced) core.info(`Scrubbed ${scrub.replaced} secret value(s) from the job folder.`);
  if (scrub.unscrubbable.length)
    core.warning(
      `${scrub.unscrubbable.length} file(s) hold a secret and could not be rewritten; they are left out of the artifact: ${scrub.unscrubbable.join(', ')}`,
    );

  const diff = baseline ? diffAgainstBaseline(outcome.job, baseline, config.regressionAlpha) : undefined;
  // The HTML report goes into the artifact, built from the folder just scrubbed.
  await writeReportQuietly(
    {
      inputs: [outputDir],
      outFile: path.join(outputDir, REPORT_FILE),
      redact,
      ...(diff ? { baseline: { diff, name: config.baseline! } } : {}),
    },
    core.warning,
  );

  for (const [name, value] of Object.entries(
    stepOutputs(outcome.job, outcome.trials, { jobResultPath: outcome.jobResultPath, outputDir }),
  ))
    core.setOutput(name, value);
  const failed = failedTestAnnotations(outcome.trials);
  for (const a of failed.annotations) core.error(redact(a.message), { title: redact(a.title) });
  if (failed.more)
    core.info(
      `${failed.more} more failing test(s) not annotated (GitHub shows 10 error annotations per step); see the summary.`,
    );

  const artifactName =
    settings.artifact.name ??
    defaultArtifactName({
      tasks: config.tasks,
      agent: config.agent,
      job: env.GITHUB_JOB,
      matrix: settings.matrix,
      runAttempt: env.GITHUB_RUN_ATTEMPT,
    });
  const markdown = renderSummary({
    job: outcome.job,
    trials: outcome.trials,
    notes,
    minReward: config.minReward,
    jobResultPath: outcome.jobResultPath,
  });
  const diffMd = diff ? `${renderBaselineDiff(diff, config.baseline!)}\n\n` : '';
  await writeSummary(redact(diffMd + markdown));

  // The artifact first, so the PR comment can link the report inside it.
  let artifactId: number | undefined;
  if (settings.artifact.upload) {
    const res = await uploadJobFolder(outputDir, artifactName, {
      retentionDays: settings.artifact.retentionDays,
      exclude: scrub.unscrubbable,
      env,
    });
    if ('id' in res) {
      artifactId = res.id;
      core.setOutput('artifact-id', String(res.id));
      core.info(`Uploaded the job folder as artifact "${artifactName}" (id ${res.id}).`);
      await writeSummary(`<sub>Artifact: <code>${escapeHtml(artifactName)}</code> (id ${res.id})</sub>\n`);
    } else {
      core.warning(`Job folder not uploaded as an artifact: ${res.skipped}`, { title: 'tb2: artifact upload skipped' });
    }
  }
  if (settings.prComment)
    await comment(input, diff, artifactId === undefined ? undefined : { artifactName, artifactId });
  return { diff };
}

/** The sticky PR comment: one per job (workflow, job id, matrix values: report/pr-comment.ts). */
async function comment(
  { outcome, settings, secrets, env }: PublishInput,
  diff?: BaselineDiff,
  uploaded?: { artifactName: string; artifactId: number },
): Promise<void> {
  const { config } = settings;
  const marker = commentMarker({ workflow: env.GITHUB_WORKFLOW, job: env.GITHUB_JOB, matrix: settings.matrix });
  const runUrl =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  const matrix = settings.matrix && settings.matrix !== 'null' ? ` ${settings.matrix}` : '';
  const redact = redactor(secrets);
  const body = redact(
    renderPrComment({
      marker,
      job: outcome.job,
      agent: config.agent,
      model: config.model,
      diff,
      baselineName: config.baseline,
      runUrl,
      // GitHub's page of one artifact: https://github.com/OWNER/REPO/actions/runs/RUN/artifacts/ID
      ...(runUrl && uploaded
        ? { artifact: { name: uploaded.artifactName, url: `${runUrl}/artifacts/${uploaded.artifactId}` } }
        : {}),
      label: env.GITHUB_JOB ? `job ${env.GITHUB_JOB}${matrix}` : undefined,
    }),
  );
  logCommentOutcome(await upsertPrComment({ env, token: settings.githubToken, marker, body, redact }));
}

/** Append to the step summary; a local run without GITHUB_STEP_SUMMARY just skips it. */
async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary.addRaw(markdown).write();
  } catch (err) {
    core.warning(`Job summary not written: ${err instanceof Error ? err.message : String(err)}`);
  }
}
