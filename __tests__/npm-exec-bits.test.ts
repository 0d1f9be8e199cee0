// Exec bits at unpack time: a package tarball whose programs lost their mode (as
// qwen-code 0.24.4's vendored ripgrep did) is unpacked by the real downloadPackage from a
// local registry on 127.0.0.1 (the npm wire format: version document -> tarball with its
// sha512), and its programs come out executable where the package means to run them,
// nothing else does.
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inProgramPlace, restoreExecBits } from '../src/agents/npm/exec-bits.js';
import { downloadPackage } from '../src/agents/npm/registry.js';

const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
const FILES: Record<string, Buffer | string> = {
  'package.json': JSON.stringify({ name: 'p', version: '1.0.0', bin: { p: './cli.js' } }),
  'cli.js': '#!/usr/bin/env node\nconsole.log(1)\n',
  'vendor/ripgrep/x64-linux/rg': ELF,
  'vendor/ripgrep/COPYING': 'license text',
  'vendor/tool/bin/helper.sh': '#!/bin/sh\necho hi\n',
  'bin/data.json': '{}',
  'lib/rg': '#!/bin/sh\n',
  'lib/module.js': 'export {}\n',
};

let server: Server | undefined;
afterAll(() => server?.close());

async function serve(): Promise<void> {
  const src = mkdtempSync(path.join(tmpdir(), 'tb2-execbits-'));
  for (const [rel, body] of Object.entries(FILES)) {
    const f = path.join(src, 'package', rel);
    mkdirSync(path.dirname(f), { recursive: true });
    writeFileSync(f, body);
    chmodSync(f, 0o644); // what the published tarball had
  }
  await execa('tar', ['-czf', path.join(src, 'p.tgz'), '-C', src, 'package']);
  const tgz = readFileSync(path.join(src, 'p.tgz'));
  const integrity = `sha512-${createHash('sha512').update(tgz).digest('base64')}`;
  server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
    if (req.url === '/p/1.0.0')
      res.end(JSON.stringify({ version: '1.0.0', dist: { tarball: `${base}/p.tgz`, integrity } }));
    else if (req.url === '/p.tgz') res.end(tgz);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  process.env.TB2_NPM_REGISTRY = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('unpacked programs get x where they have r: bin entries, ELF and #! files under bin/ or ripgrep/, rg', async () => {
  await serve();
  const dir = mkdtempSync(path.join(tmpdir(), 'tb2-execbits-out-'));
  await downloadPackage('test', 'p', '1.0.0', dir, AbortSignal.timeout(30_000), () => undefined);
  const mode = (rel: string) => (statSync(path.join(dir, rel)).mode & 0o777).toString(8);
  expect(Object.fromEntries(Object.keys(FILES).map((f) => [f, mode(f)]))).toEqual({
    'package.json': '644',
    'cli.js': '755',
    'vendor/ripgrep/x64-linux/rg': '755',
    'vendor/ripgrep/COPYING': '644',
    'vendor/tool/bin/helper.sh': '755',
    'bin/data.json': '644',
    'lib/rg': '755',
    'lib/module.js': '644',
  });
  // A second pass changes nothing; a file readable by its owner only gets x for its owner only.
  expect(await restoreExecBits(dir)).toEqual([]);
  chmodSync(path.join(dir, 'vendor/ripgrep/x64-linux/rg'), 0o600);
  expect(await restoreExecBits(dir)).toEqual(['vendor/ripgrep/x64-linux/rg']);
  expect(mode('vendor/ripgrep/x64-linux/rg')).toBe('700');
});

test.each([
  ['vendor/ripgrep/x64-linux/rg', true],
  ['bin/opencode', true],
  ['a/bin/b/c', true],
  ['rg', true],
  ['lib/x.js', false],
  ['binary/x', false],
])('%s is a program place: %s', (rel, yes) => expect(inProgramPlace(rel)).toBe(yes));
