#!/usr/bin/env node
// How long from "task container started" to Claude Code's first event (its system/init
// line), for the two ways to get Claude Code into a container, in the same run, on the
// same image (tb2-base/python:bookworm + Debian's nodejs and npm, built here):
//   mounted: what the claude-code agent does: probe libc, `claude --version`, run the
//            native binary bind-mounted read-only from the host cache (warm cache);
//   npm:     what Harbor does per trial: `npm install -g @anthropic-ai/claude-code@V` in
//            the container (host CA bundle mounted and named by NODE_EXTRA_CA_CERTS).
// Plus the same "mounted" path through the real tb2 CLI (events.jsonl timestamps: end of
// the environment phase -> first agent event), and the one-time host download.
// Usage: node bench/claude-startup.mjs [--runs N] [--version V]
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import { ROOT, ensurePrerequisites, machine, median, tb2 } from './lib.mjs';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, version: { type: 'string', default: '2.1.328' } },
});
const RUNS = Number(values.runs);
const VERSION = values.version;
const IMAGE = 'tb2-bench/claude-node:bookworm';
const HOST_CA = '/etc/ssl/certs/ca-certificates.crt';
const tmp = mkdtempSync(path.join(tmpdir(), 'tb2-claude-bench-'));

// The scripted Messages API of the tests, transpiled on the fly (it only uses node:*).
const fakeSrc = readFileSync(path.join(ROOT, '__tests__', 'helpers', 'fake-anthropic.ts'), 'utf8');
writeFileSync(
  path.join(tmp, 'fake.mjs'),
  ts.transpileModule(fakeSrc, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } })
    .outputText,
);
const { startFakeAnthropic } = await import(path.join(tmp, 'fake.mjs'));
const fake = await startFakeAnthropic(
  Array.from({ length: 4 * RUNS }, () => ({ text: 'Done.', usage: { input_tokens: 10, output_tokens: 2 } })),
);

const sh = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout.trim();
};

function buildImage() {
  const ctx = path.join(tmp, 'image');
  mkdirSync(ctx);
  writeFileSync(
    path.join(ctx, 'Dockerfile'),
    [
      'FROM tb2-base/python:bookworm',
      'RUN apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*',
      'WORKDIR /app',
      '',
    ].join('\n'),
  );
  if (spawnSync('docker', ['image', 'inspect', IMAGE], { stdio: 'ignore' }).status !== 0)
    sh('docker', ['build', '--force-rm', '-q', '-t', IMAGE, ctx]);
}

/** Run `docker exec` and resolve at its first stdout line (ms from t0), then let it finish. */
function firstLine(args, env, input, t0) {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let first;
    let err = '';
    child.stdout.on('data', (d) => {
      if (first === undefined && String(d).includes('\n')) first = performance.now() - t0;
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) =>
      first !== undefined ? resolve(first) : reject(new Error(`no output (exit ${code}): ${err.slice(-1500)}`)),
    );
    child.stdin.end(input);
  });
}

const CLAUDE_ENV = {
  ANTHROPIC_BASE_URL: fake.url,
  ANTHROPIC_API_KEY: 'sk-ant-bench-fake',
  IS_SANDBOX: '1',
  DISABLE_AUTOUPDATER: '1',
  CLAUDE_CODE_MAX_RETRIES: '0',
};
const envFlags = Object.keys(CLAUDE_ENV).flatMap((k) => ['-e', k]);
const CLAUDE_ARGS = '-p --output-format stream-json --verbose --dangerously-skip-permissions';

/** One trial's startup: start the container, then what each variant does until the first event. */
async function startup(variant, cacheDir) {
  const name = `tb2-claude-bench-${variant}-${process.pid}-${Date.now()}`;
  const mounts =
    variant === 'mounted'
      ? ['-v', `${cacheDir}:/opt/tb2/claude-code:ro`]
      : ['-v', `${HOST_CA}:/tb2-host-ca.crt:ro`, '-e', 'NODE_EXTRA_CA_CERTS=/tb2-host-ca.crt'];
  try {
    sh('docker', [
      'run',
      '-d',
      '--init',
      '--name',
      name,
      '--network',
      'host',
      ...mounts,
      '--entrypoint',
      'sh',
      IMAGE,
      '-c',
      'while :; do sleep 86400; done',
    ]);
    const t0 = performance.now();
    if (variant === 'mounted') {
      sh('docker', [
        'exec',
        name,
        'sh',
        '-c',
        'uname -m; [ -e /lib64/ld-linux-x86-64.so.2 ] && echo glibc; [ -e /lib/ld-musl-x86_64.so.1 ] && echo musl; true',
      ]);
      sh('docker', ['exec', name, '/opt/tb2/claude-code/linux-x64/claude', '--version']);
      return await firstLine(
        ['exec', '-i', ...envFlags, name, '/opt/tb2/claude-code/linux-x64/claude', ...CLAUDE_ARGS.split(' ')],
        CLAUDE_ENV,
        'Say done.',
        t0,
      );
    }
    const script = `npm install -g --no-fund --no-audit --loglevel=error @anthropic-ai/claude-code@${VERSION} >/tmp/npm.log 2>&1 || { cat /tmp/npm.log >&2; exit 1; }; exec claude ${CLAUDE_ARGS}`;
    return await firstLine(['exec', '-i', ...envFlags, name, 'sh', '-c', script], CLAUDE_ENV, 'Say done.', t0);
  } finally {
    spawnSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
  }
}

/** The mounted path through the real CLI: environment phase end -> first agent event. */
async function throughCli(cacheEnv) {
  const task = path.join(tmp, 'task');
  mkdirSync(path.join(task, 'environment'), { recursive: true });
  mkdirSync(path.join(task, 'tests'), { recursive: true });
  writeFileSync(path.join(task, 'task.toml'), 'version = "1.0"\n[agent]\ntimeout_sec = 300\n');
  writeFileSync(path.join(task, 'instruction.md'), 'Say done.\n');
  writeFileSync(path.join(task, 'environment', 'Dockerfile'), `FROM ${IMAGE}\nWORKDIR /app\n`);
  writeFileSync(path.join(task, 'tests', 'test.sh'), '#!/bin/sh\necho 1 > /logs/verifier/reward.txt\n', {
    mode: 0o755,
  });
  const out = mkdtempSync(path.join(tmp, 'out-'));
  await tb2(out, [task, '--agent', 'claude-code', '--network', 'host', '--claude-code-version', VERSION], {
    env: { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: 'sk-ant-bench-fake', ...cacheEnv },
  });
  const trial = readdirSync(out, { withFileTypes: true }).find((d) => d.isDirectory()).name;
  const events = readFileSync(path.join(out, trial, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const at = (pred) => Date.parse(events.find(pred).at);
  const started = at((e) => e.type === 'phase_end' && e.phase === 'environment');
  const result = JSON.parse(readFileSync(path.join(out, trial, 'result.json'), 'utf8'));
  const setup = Date.parse(result.agent_setup.finished_at) - Date.parse(result.agent_setup.started_at);
  return { firstEvent: at((e) => e.type === 'agent_message') - started, setup };
}

buildImage();
ensurePrerequisites({ rebuild: false });
// Warm the host cache (and measure the one-time download into an empty cache folder).
const cold = await throughCli({ TB2_CACHE_DIR: path.join(tmp, 'cold-cache') });
await throughCli({});
const cacheDir = path.join(
  process.env.XDG_CACHE_HOME || path.join(process.env.HOME, '.cache'),
  'tb2',
  'claude-code',
  VERSION,
);

const times = { mounted: [], npm: [], cli: [] };
for (let i = 0; i < RUNS; i++) {
  // Interleaved, so drift in load or network hits both alike.
  times.mounted.push(await startup('mounted', cacheDir));
  times.npm.push(await startup('npm', cacheDir));
  times.cli.push((await throughCli({})).firstEvent);
  process.stderr.write(
    `run ${i + 1}/${RUNS}: mounted ${times.mounted.at(-1).toFixed(0)} ms, npm ${times.npm.at(-1).toFixed(0)} ms, tb2 ${times.cli.at(-1)} ms\n`,
  );
}
await fake.close();
rmSync(tmp, { recursive: true, force: true });

const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const row = (what, xs) => `| ${what} | ${s(median(xs))} | ${s(Math.min(...xs))} | ${s(Math.max(...xs))} |`;
const m = machine();
console.log(`## Claude Code startup: mounted native binary vs npm install in the container

Claude Code ${VERSION}, ${RUNS} interleaved runs each, image \`${IMAGE}\` (Debian bookworm + Debian's nodejs ${sh('docker', ['run', '--rm', IMAGE, 'node', '--version'])} and npm), \`--network host\`, scripted Messages API on 127.0.0.1.
Machine: ${m.cpu}, ${m.memory_gb} GB, Docker ${m.docker}. Time from "container started" to Claude Code's first stream event (\`system/init\`).
Command: \`node bench/claude-startup.mjs --runs ${RUNS}\`.

| Path | median | min | max |
|---|---|---|---|
${row('mounted binary (probe + `--version` + run), raw docker', times.mounted)}
${row('mounted binary through `tb2 run --agent claude-code` (events.jsonl)', times.cli)}
${row('`npm install -g @anthropic-ai/claude-code` in the container, then run', times.npm)}

**npm install in the container / mounted binary: ${(median(times.npm) / median(times.mounted)).toFixed(1)}× (raw docker), ${(median(times.npm) / median(times.cli)).toFixed(1)}× (through tb2).**
The one-time download into an empty host cache (registry metadata, ${'~'}172 MB tarball, sha512 check, extract, \`--version\`) made that first trial's agent_setup ${s(cold.setup)}; every later trial on the host reuses it.
`);
