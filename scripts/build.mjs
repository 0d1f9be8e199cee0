// Bundle the entries with ncc into dist/, then smoke-run each bundle: ncc can exit 0 and
// still emit a bundle that dies at run time (it does when it cannot resolve an ESM-only
// package), so a build that does not run fails.
//
// dist/.build-inputs records a digest of everything the bundles are made from. With
// --if-stale (what `npm test` runs first) the build is skipped when that digest still
// matches, so the integration tests never run an old bundle and a fresh one costs nothing.
import { execFileSync } from 'node:child_process';
import {
  readdirSync,
  renameSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  chmodSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inputsDigest, STAMP } from './build-inputs.mjs';

const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
const entries = [
  { src: 'src/cli.ts', out: 'dist/cli.js', smoke: ['--help'] },
  { src: 'src/action.ts', out: 'dist/action.js' },
  { src: 'src/post.ts', out: 'dist/post.js' },
];

const digest = inputsDigest();
if (process.argv.includes('--if-stale')) {
  const fresh =
    existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === digest && entries.every((e) => existsSync(e.out));
  if (fresh) {
    console.log('build: dist/ is up to date with src/ (dist/.build-inputs)');
    process.exit(0);
  }
  console.log('build: dist/ is older than src/; rebuilding before the tests run it');
}

// Files are replaced one by one (write then rename), never by emptying dist/ first, so a
// test running the bundle meanwhile never sees it missing.
mkdirSync('dist', { recursive: true });
const chunksWritten = new Set();
for (const e of entries) {
  if (!existsSync(e.src)) continue;
  const tmp = mkdtempSync(path.join(tmpdir(), 'tb2-ncc-'));
  execFileSync(
    'npx',
    ['ncc', 'build', e.src, '-o', tmp, '--minify', '--no-source-map-register', '--quiet', '--target', 'es2022'],
    { stdio: 'inherit' },
  );
  let code = readFileSync(path.join(tmp, 'index.js'), 'utf8')
    .replace('typeof TB2_VERSION', JSON.stringify('string'))
    .replace(/\bTB2_VERSION\b/, JSON.stringify(version));
  if (!code.startsWith('#!')) code = `#!/usr/bin/env node\n${code}`;
  writeFileSync(`${e.out}.tmp`, code);
  chmodSync(`${e.out}.tmp`, 0o755);
  renameSync(`${e.out}.tmp`, e.out);
  // Chunks of dynamic imports (e.g. @actions/artifact, loaded only to upload) sit beside
  // the bundle, which loads them relative to its own location.
  for (const f of readdirSync(tmp).filter((f) => f !== 'index.js' && f.endsWith('.js'))) {
    const dest = path.join('dist', f);
    const text = readFileSync(path.join(tmp, f), 'utf8');
    if (existsSync(dest) && chunksWritten.has(f) && readFileSync(dest, 'utf8') !== text)
      throw new Error(`build: chunk ${f} differs between entries`);
    writeFileSync(dest, text);
    chunksWritten.add(f);
  }
  rmSync(tmp, { recursive: true, force: true });
}
// A chunk no entry produced any more is stale.
for (const f of readdirSync('dist').filter((f) => /^\d+\.index\.js$/.test(f) && !chunksWritten.has(f)))
  rmSync(path.join('dist', f));
writeFileSync('dist/package.json', JSON.stringify({ type: 'module' }) + '\n');

for (const e of entries.filter((x) => x.smoke && existsSync(x.out))) {
  execFileSync(process.execPath, [e.out, ...e.smoke], { stdio: 'ignore', timeout: 20_000 });
}
for (const e of entries.filter((x) => !x.smoke && existsSync(x.out))) {
  // Load only (no inputs): a bundle missing a module fails here at import time.
  execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import(${JSON.stringify(path.resolve(e.out))}).catch(e => { if (/Cannot find module|webpackMissingModule/.test(String(e))) { console.error(e); process.exit(1) } })`,
    ],
    {
      stdio: 'inherit',
      timeout: 20_000,
      env: { ...process.env, TB2_BUNDLE_SMOKE: '1' },
    },
  );
}
writeFileSync(STAMP, `${digest}\n`);
console.log('build: dist/ bundled and smoke-run');
