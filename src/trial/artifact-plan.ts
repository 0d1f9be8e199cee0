// Where each artifact entry lands and what the manifest says about it, as Harbor v0.22 does
// it (src/harbor/trial/artifact_handler.py, models/task/artifacts.py,
// models/trial/artifact_manifest.py). Pure: artifacts.ts does the copying.
//   - a path entry `/a/b` lands at `<trial>/artifacts/a/b`; a table at `<trial>/artifacts/<destination>`;
//   - the agent's publish folder /logs/artifacts is always an entry (first), unless declared;
//   - an entry whose host path overlaps one already claimed is skipped, never overwritten;
//   - manifest.json lists every entry {source, destination, type, status, service}.
import path from 'node:path';
import type { ArtifactSpec } from '../task/steps-schema.js';

export const CONVENTION_SOURCE = '/logs/artifacts';
export const MANIFEST = 'manifest.json';

export interface ManifestEntry {
  source: string;
  destination: string;
  type: 'file' | 'directory';
  status: 'ok' | 'failed' | 'empty' | 'skipped';
  service: string | null;
}

export interface PlannedArtifact {
  spec: ArtifactSpec;
  /** Relative to the trial's artifacts folder ("" = the folder itself). */
  rel: string;
  convention: boolean;
  /** Set when an earlier entry claimed an overlapping host path. */
  skipped?: true;
}

const isMain = (a: ArtifactSpec) => !a.service || a.service === 'main';
const isConvention = (a: ArtifactSpec) => isMain(a) && a.source.replace(/\/+$/, '') === CONVENTION_SOURCE;

/** Harbor's source_relative_path / _relative_host_destination: anchors and `..` dropped. */
export function hostRel(a: ArtifactSpec): string {
  const parts = (a.destination ?? a.source).split('/').filter((p) => p && p !== '.' && p !== '..');
  return parts.join('/');
}

const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`) || !a || !b;

export function planArtifacts(entries: readonly ArtifactSpec[]): PlannedArtifact[] {
  const all = entries.some(isConvention) ? [...entries] : [{ source: CONVENTION_SOURCE }, ...entries];
  const claimed: Array<{ rel: string; source: string }> = [];
  return all.map((spec) => {
    const rel = hostRel(spec);
    const planned: PlannedArtifact = { spec, rel, convention: isConvention(spec) };
    if (claimed.some((c) => c.source !== spec.source && overlaps(c.rel, rel))) planned.skipped = true;
    else claimed.push({ rel, source: spec.source });
    return planned;
  });
}

export function manifestEntry(
  p: PlannedArtifact,
  type: ManifestEntry['type'],
  status: ManifestEntry['status'],
): ManifestEntry {
  return {
    source: p.spec.source,
    destination: p.rel ? `artifacts/${p.rel}` : 'artifacts',
    type,
    status,
    service: p.spec.service ?? null,
  };
}

/** One exec tells every source's kind: a line `d`, `f` or `m` (missing) per source, in order. */
export function probeScript(sources: readonly string[]): string {
  const quoted = sources.map((s) => `'${s.replace(/'/g, `'\\''`)}'`).join(' ');
  return `for p in ${quoted}; do if [ -d "$p" ]; then if [ -n "$(ls -A "$p" 2>/dev/null)" ]; then echo d; else echo e; fi; elif [ -e "$p" ]; then echo f; else echo m; fi; done`;
}

export type Kind = 'd' | 'e' | 'f' | 'm';
export function parseProbe(stdout: string, n: number): Kind[] {
  const kinds = stdout.split('\n').filter((l) => /^[defm]$/.test(l)) as Kind[];
  return Array.from({ length: n }, (_, i) => kinds[i] ?? 'm');
}

/** Where an entry goes back in a separate verifier: its own source path (Harbor: "no translation"). */
export function containerPathOf(source: string, workdir = '/'): string {
  return path.posix.resolve(workdir, source);
}
