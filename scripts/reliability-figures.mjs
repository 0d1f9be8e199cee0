#!/usr/bin/env node
// docs/RELIABILITY.md from the fault suite itself, so the figures stay true: runs
// __tests__/faults/ with jest's --json (or reads a report with --from FILE), counts cases
// per category (the top-level describe of each test), adds the hand-kept list of what
// each category found and fixed (scripts/reliability-fixes.json), prints the tables and
// writes the document. --check compares with the committed document instead of writing.
//   node scripts/reliability-figures.mjs [--from report.json] [--check]
//   TB2_SOAK=1 node scripts/reliability-figures.mjs     # the slow soak variant too
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const DOC = path.join(ROOT, 'docs', 'RELIABILITY.md');
const args = process.argv.slice(2);
const from = args.includes('--from') ? args[args.indexOf('--from') + 1] : undefined;

// Top-level describe titles -> the categories, in the order.
const CATEGORIES = [
  ['Cancellation', /^cancellation/],
  ['Timeouts', /^timeouts/],
  ['Bad tasks', /^bad tasks/],
  ['Docker trouble', /^docker trouble/],
  ['Hostile agents and verifiers', /^hostile agents and verifiers/],
  ['Secrets', /^secrets/],
  ['Concurrency', /^concurrency/],
  ['Compose environments', /^compose environments/],
  ['Reports', /^reports/],
  ['Gate and PR comment', /^gate and PR comment/],
];

function runSuite() {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'tb2-figures-')), 'report.json');
  try {
    execFileSync(
      'npx',
      ['jest', '--selectProjects', 'itg', '--testPathPatterns', '__tests__/faults/', '--json', `--outputFile=${out}`],
      {
        cwd: ROOT,
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, NODE_OPTIONS: '--experimental-vm-modules' },
      },
    );
  } catch {
    /* failures are counted from the report */
  }
  return out;
}

const report = JSON.parse(readFileSync(from ?? runSuite(), 'utf8'));
const fixes = JSON.parse(readFileSync(path.join(ROOT, 'scripts', 'reliability-fixes.json'), 'utf8'));
const rows = new Map(CATEGORIES.map(([name]) => [name, { tried: 0, passed: 0, failed: [], skipped: 0 }]));
let wallMs = 0;
for (const file of report.testResults.filter((f) => f.name.includes(`${path.sep}faults${path.sep}`))) {
  wallMs += (file.endTime ?? 0) - (file.startTime ?? 0);
  for (const t of file.assertionResults) {
    const cat = CATEGORIES.find(([, re]) => re.test(t.ancestorTitles[0] ?? ''))?.[0];
    if (!cat) throw new Error(`no category for "${t.fullName}" (top-level describe "${t.ancestorTitles[0]}")`);
    const row = rows.get(cat);
    if (t.status === 'pending' || t.status === 'skipped') row.skipped++;
    else {
      row.tried++;
      if (t.status === 'passed') row.passed++;
      else row.failed.push(t.title);
    }
  }
}

const lines = [];
const total = { tried: 0, passed: 0, skipped: 0 };
for (const [name] of CATEGORIES) {
  const r = rows.get(name);
  total.tried += r.tried;
  total.passed += r.passed;
  total.skipped += r.skipped;
  lines.push(
    `### ${name}`,
    '',
    '| cases tried | passed | failed | soak only (skipped) |',
    '| ---: | ---: | ---: | ---: |',
    `| ${r.tried} | ${r.passed} | ${r.failed.length} | ${r.skipped} |`,
    '',
  );
  for (const f of r.failed) lines.push(`- FAILED: ${f}`);
  const fixed = fixes[name] ?? [];
  lines.push(
    ...(fixed.length
      ? ['Found and fixed:', '', ...fixed.map((f) => `- ${f}`)]
      : ['Found and fixed: nothing; the behaviour held.']),
    '',
  );
}
const table = [
  `**${total.passed} of ${total.tried} fault cases passed** (${total.skipped} more run only with TB2_SOAK=1).`,
  '',
  ...lines,
].join('\n');
process.stdout.write(`${table}\nfault suite wall time: ${(wallMs / 1000).toFixed(0)} s\n`);

const doc = readFileSync(DOC, 'utf8');
const BEGIN = '<!-- figures:begin (scripts/reliability-figures.mjs) -->';
const END = '<!-- figures:end -->';
const next = `${doc.slice(0, doc.indexOf(BEGIN) + BEGIN.length)}\n${table}\n${doc.slice(doc.indexOf(END))}`;
if (args.includes('--check')) {
  if (next !== doc) {
    console.error('docs/RELIABILITY.md is stale: run node scripts/reliability-figures.mjs');
    process.exit(1);
  }
} else if (!process.env.TB2_SOAK) {
  writeFileSync(DOC, next); // the committed figures are the default suite's
}
process.exit([...rows.values()].some((r) => r.failed.length) ? 1 : 0);
