// Jest globalSetup for the integration tests: they run the bundles in dist/, so refuse a
// bundle older than src/ (`npm test` rebuilds it first; a bare `npx jest` may not), then
// make the local base images every example and fixture task builds FROM (a second when
// they exist).
const { execFileSync } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');

module.exports = async () => {
  const { inputsDigest, STAMP } = await import(path.join(ROOT, 'scripts', 'build-inputs.mjs'));
  const stamp = path.join(ROOT, STAMP);
  const built = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : '';
  if (built !== inputsDigest(ROOT)) {
    throw new Error('dist/ is older than src/: run `npm run build` (or `npm test`, which builds first)');
  }
  execFileSync(path.join(ROOT, 'scripts', 'base-images.sh'), { stdio: 'inherit' });
};
