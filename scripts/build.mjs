// Bundle the entries with ncc into dist/, then smoke-run each bundle: ncc can exit 0 and
// still emit a bundle that dies at run time (PITFALLS), so a build that does not run fails.
import { execFileSync } from 'node:child_process';
import { renameSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
const entries = [
  { src: 'src/cli.ts', out: 'dist/cli.js', smoke: ['--help'] },
  { src: 'src/action.ts', out: 'dist/action.js' },
  { src: 'src/post.ts', out: 'dist/post.js' },
];

// Files are replaced one by one (write then rename), never by emptying dist/ first, so a
// test running the bundle meanwhile never sees it missing.
mkdirSync('dist', { recursive: true });
for (const e of entries) {
  if (!existsSync(e.src)) continue;
  const tmp = mkdtempSync(path.join(tmpdir(), 'tb2-ncc-'));
  execFileSync('npx', ['ncc', 'build', e.src, '-o', tmp, '--minify', '--no-source-map-register', '--quiet', '--target', 'es2022'], { stdio: 'inherit' });
  let code = readFileSync(path.join(tmp, 'index.js'), 'utf8').replace('typeof TB2_VERSION', JSON.stringify('string')).replace(/\bTB2_VERSION\b/, JSON.stringify(version));
  if (!code.startsWith('#!')) code = `#!/usr/bin/env node\n${code}`;
  writeFileSync(`${e.out}.tmp`, code);
  chmodSync(`${e.out}.tmp`, 0o755);
  renameSync(`${e.out}.tmp`, e.out);
  rmSync(tmp, { recursive: true, force: true });
}
writeFileSync('dist/package.json', JSON.stringify({ type: 'module' }) + '\n');

for (const e of entries.filter((x) => x.smoke && existsSync(x.out))) {
  execFileSync(process.execPath, [e.out, ...e.smoke], { stdio: 'ignore', timeout: 20_000 });
}
for (const e of entries.filter((x) => !x.smoke && existsSync(x.out))) {
  // Load only (no inputs): a bundle missing a module fails here at import time.
  execFileSync(process.execPath, ['--input-type=module', '-e', `import(${JSON.stringify(path.resolve(e.out))}).catch(e => { if (/Cannot find module|webpackMissingModule/.test(String(e))) { console.error(e); process.exit(1) } })`], {
    stdio: 'inherit', timeout: 20_000, env: { ...process.env, TB2_BUNDLE_SMOKE: '1' },
  });
}
console.log('build: dist/ bundled and smoke-run');
