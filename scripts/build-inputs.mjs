// The digest of everything dist/ is made from (sources, lockfile, manifest, tsconfig, the
// build script), recorded by the build in dist/.build-inputs. The build skips itself when
// it matches (--if-stale) and the integration tests refuse to run a bundle when it does not.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const STAMP = 'dist/.build-inputs';

/** sha256 over the build's inputs, read relative to `root`. */
export function inputsDigest(root = '.') {
  const files = [
    ...readdirSync(path.join(root, 'src'), { recursive: true })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join('src', f)),
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    'scripts/build.mjs',
    'scripts/build-inputs.mjs',
  ].sort();
  const hash = createHash('sha256');
  for (const f of files)
    hash
      .update(`${f}\0`)
      .update(readFileSync(path.join(root, f)))
      .update('\0');
  return hash.digest('hex');
}
