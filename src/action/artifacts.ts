// The job folder as a workflow artifact (@actions/artifact, the client actions/upload-artifact
// uses). Artifact names are immutable within a workflow run, so the default name carries
// the task, the agent, the job id, a hash of the matrix values and the run attempt: each
// matrix job (and each re-run) gets its own. A failed upload is a warning, never a failed
// step: the results are still in the log, the summary and the outputs.
import { createHash } from 'node:crypto';
import { readdir, lstat } from 'node:fs/promises';
import path from 'node:path';
import { ARTIFACT_NAME_FORBIDDEN } from '../config/action-inputs.js';

export interface ArtifactNameParts {
  tasks: string[];
  agent: string;
  /** GITHUB_JOB: the job's id in the workflow. */
  job?: string;
  /** toJSON(matrix); "null" or "" outside a matrix. */
  matrix?: string;
  /** GITHUB_RUN_ATTEMPT */
  runAttempt?: string;
}

const slug = (s: string) =>
  s
    .replace(new RegExp(ARTIFACT_NAME_FORBIDDEN.source, 'g'), '-')
    .replace(/[^A-Za-z0-9_.+-]+/g, '-')
    .replace(/^-+|-+$/g, '');

/** e.g. tb2-hello-world-oracle-selftest-3f2a9c1b-1. Pure. */
export function defaultArtifactName(p: ArtifactNameParts): string {
  const names = p.tasks.map((t) => path.basename(path.resolve(t)));
  const taskPart = names.length > 1 ? `${names[0]}+${names.length - 1}-${hash(names.join('\n'))}` : (names[0] ?? 'job');
  const matrix = p.matrix && !['null', '{}', ''].includes(p.matrix.trim()) ? hash(canonicalJson(p.matrix)) : '';
  const parts = ['tb2', taskPart, p.agent, p.job, matrix, p.runAttempt].filter(Boolean).map((x) => slug(String(x)));
  return parts.join('-').slice(0, 200);
}

function hash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 8);
}

/** The same matrix in any key order (or whitespace) hashes the same. */
function canonicalJson(json: string): string {
  try {
    const sort = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sort)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.keys(v)
                .sort()
                .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
            )
          : v;
    return JSON.stringify(sort(JSON.parse(json)));
  } catch {
    return json;
  }
}

/** Every regular file under dir, except the ones listed (e.g. files scrub could not clean). */
export async function filesToUpload(dir: string, exclude: string[] = []): Promise<string[]> {
  const skip = new Set(exclude.map((f) => path.resolve(f)));
  const out: string[] = [];
  for (const rel of await readdir(dir, { recursive: true })) {
    const file = path.resolve(dir, rel);
    if (skip.has(file)) continue;
    if ((await lstat(file).catch(() => undefined))?.isFile()) out.push(file);
  }
  return out.sort();
}

export type UploadResult = { id: number; size?: number } | { skipped: string };

/**
 * Upload the job folder. Never throws: a missing runtime token (a `run:` step, or a local
 * run) or any upload error comes back as `skipped` with the reason.
 */
export async function uploadJobFolder(
  dir: string,
  name: string,
  opts: { retentionDays?: number; exclude?: string[]; env?: NodeJS.ProcessEnv },
): Promise<UploadResult> {
  const env = opts.env ?? process.env;
  if (!env.ACTIONS_RUNTIME_TOKEN || !env.ACTIONS_RESULTS_URL) {
    return {
      skipped:
        'ACTIONS_RUNTIME_TOKEN or ACTIONS_RESULTS_URL is not set (only JavaScript actions on a GitHub runner get them)',
    };
  }
  try {
    const files = await filesToUpload(dir, opts.exclude);
    // Loaded on demand: the client is most of the action bundle's size and load time, and
    // only this upload at the very end needs it (bench/, issue 7).
    const { DefaultArtifactClient } = await import('@actions/artifact');
    const res = await new DefaultArtifactClient().uploadArtifact(name, files, path.resolve(dir), {
      retentionDays: opts.retentionDays,
    });
    if (res.id === undefined) return { skipped: 'the artifact service returned no id' };
    return { id: res.id, size: res.size };
  } catch (err) {
    return { skipped: err instanceof Error ? err.message : String(err) };
  }
}
