// After the job: make the job folder safe to share, then hand the results to GitHub in the
// order that survives a cancel best (GitHub sends SIGTERM 7.5 s after SIGINT, then kills):
// scrub secrets, step outputs, job summary, then the artifact upload, which can be slow,
// and last a summary line and the artifact-id output once the upload is done.
import * as core from '@actions/core';
import path from 'node:path';
import type { ActionSettings } from '../config/action-inputs.js';
import type { JobOutcome } from '../trial/job.js';
import { defaultArtifactName, uploadJobFolder } from './artifacts.js';
import { REPORT_FILE, writeReportQuietly } from '../commands/report.js';
import { escapeHtml } from '../report/markdown.js';
import type { TrialNotes } from '../report/notes.js';
import { stepOutputs } from '../report/outputs.js';
import { redactor, scrubFolder } from '../report/scrub.js';
import { renderSummary } from '../report/summary.js';

export interface PublishInput {
  outcome: JobOutcome;
  settings: ActionSettings;
  notes: Map<string, TrialNotes>;
  secrets: string[];
  env: NodeJS.ProcessEnv;
}

export async function publishToGitHub({ outcome, settings, notes, secrets, env }: PublishInput): Promise<void> {
  const { config } = settings;
  const outputDir = path.resolve(config.outputDir);
  const redact = redactor(secrets);
  const scrub = await scrubFolder(outputDir, secrets);
  if (scrub.replaced) core.info(`Scrubbed ${scrub.replaced} secret value(s) from the job folder.`);
  if (scrub.unscrubbable.length)
    core.warning(
      `${scrub.unscrubbable.length} file(s) hold a secret and could not be rewritten; they are left out of the artifact: ${scrub.unscrubbable.join(', ')}`,
    );

  // The HTML report goes into the artifact, built from the folder just scrubbed.
  await writeReportQuietly({ inputs: [outputDir], outFile: path.join(outputDir, REPORT_FILE), redact }, core.warning);

  for (const [name, value] of Object.entries(
    stepOutputs(outcome.job, outcome.trials, { jobResultPath: outcome.jobResultPath, outputDir }),
  ))
    core.setOutput(name, value);

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
  await writeSummary(redact(markdown));

  if (!settings.artifact.upload) return;
  const res = await uploadJobFolder(outputDir, artifactName, {
    retentionDays: settings.artifact.retentionDays,
    exclude: scrub.unscrubbable,
    env,
  });
  if ('id' in res) {
    core.setOutput('artifact-id', String(res.id));
    core.info(`Uploaded the job folder as artifact "${artifactName}" (id ${res.id}).`);
    await writeSummary(`<sub>Artifact: <code>${escapeHtml(artifactName)}</code> (id ${res.id})</sub>\n`);
  } else {
    core.warning(`Job folder not uploaded as an artifact: ${res.skipped}`, { title: 'tb2: artifact upload skipped' });
  }
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
