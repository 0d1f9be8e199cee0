// Artifacts (task.toml `artifacts`, Harbor v0.22): copied out of `main` after the agent
// phase and before the verifier, also after an agent timeout, into `<trial>/artifacts/`,
// with manifest.json listing every entry. Best effort, as in Harbor: a source that is
// missing or cannot be copied is a "failed" entry, never an error of the trial. The raw-log
// cap (log-cap.ts) watches the folder, so an oversized artifact is cut like a log.
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Environment } from '../environment/types.js';
import type { ArtifactSpec } from '../task/steps-schema.js';
import {
  containerPathOf,
  manifestEntry,
  MANIFEST,
  parseProbe,
  planArtifacts,
  probeScript,
  type ManifestEntry,
} from './artifact-plan.js';

export interface CollectRequest {
  env: Environment;
  entries: readonly ArtifactSpec[];
  /** `<trial>/artifacts`. */
  dir: string;
  /** Relative sources are relative to `[environment] workdir` (else /). */
  workdir?: string;
  signal: AbortSignal;
}

export async function collectArtifacts(r: CollectRequest): Promise<ManifestEntry[]> {
  const plan = planArtifacts(r.entries);
  const sources = plan.map((p) => containerPathOf(p.spec.source, r.workdir));
  const probe = await r.env
    .exec(probeScript(sources), { user: '0', timeoutMs: 60_000, signal: r.signal })
    .catch(() => undefined);
  const kinds = parseProbe(probe?.stdout ?? '', plan.length);
  const out: ManifestEntry[] = [];
  await mkdir(r.dir, { recursive: true });
  for (const [i, p] of plan.entries()) {
    const kind = kinds[i];
    if (p.skipped) {
      out.push(manifestEntry(p, kind === 'd' || kind === 'e' ? 'directory' : 'file', 'skipped'));
      continue;
    }
    // Harbor mounts the publish folder, so an absent or empty one is "empty", not "failed".
    if (p.convention && (kind === 'm' || kind === 'e')) {
      out.push(manifestEntry(p, 'directory', 'empty'));
      continue;
    }
    // Sidecar services are not reachable through the Environment yet: recorded as failed.
    const sidecar = p.spec.service !== undefined && p.spec.service !== 'main';
    const type = kind === 'd' || kind === 'e' ? 'directory' : 'file';
    if (kind === 'm' || sidecar || r.signal.aborted) {
      out.push(manifestEntry(p, type, 'failed'));
      continue;
    }
    const target = path.join(r.dir, p.rel);
    try {
      if (type === 'directory') {
        await mkdir(target, { recursive: true });
        await r.env.copyOut(`${sources[i].replace(/\/+$/, '')}/.`, target, r.signal);
      } else {
        await mkdir(path.dirname(target), { recursive: true });
        await r.env.copyOut(sources[i], target, r.signal);
      }
      out.push(manifestEntry(p, type, 'ok'));
    } catch {
      out.push(manifestEntry(p, type, 'failed'));
    }
  }
  await writeFile(path.join(r.dir, MANIFEST), JSON.stringify(out, null, 2) + '\n');
  return out;
}

/**
 * Put the collected artifacts back, each at its own source path, in the separate verifier's
 * environment (Harbor's upload_artifacts): one staged tree, merged into / by one exec.
 */
export async function restoreArtifacts(
  env: Environment,
  entries: readonly ManifestEntry[],
  dir: string,
  signal: AbortSignal,
  workdir?: string,
): Promise<void> {
  const ok = entries.filter((e) => e.status === 'ok');
  if (!ok.length) return;
  const tree = await mkdtemp(path.join(os.tmpdir(), 'tb2-artifacts-'));
  try {
    for (const e of ok) {
      const from = path.join(dir, e.destination.replace(/^artifacts\/?/, ''));
      const to = path.join(tree, containerPathOf(e.source, workdir));
      await mkdir(path.dirname(to), { recursive: true });
      await cp(from, to, { recursive: true, force: true });
    }
    const staged = await env.stage(tree, signal);
    await env.run(`cp -a '${staged}'/. / && rm -rf '${staged}'`, signal, '0');
  } finally {
    await rm(tree, { recursive: true, force: true });
  }
}
