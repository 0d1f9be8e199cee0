// The benchmark's targets (issue 7) and its table. Targets live here, never in unit tests:
// timings depend on the machine, ratios against a floor measured in the same run do not.
const f = (x, d = 0) => (x === undefined || x === null ? '-' : Number(x).toFixed(d));

export function targetsOf(r) {
  const t = [];
  const add = (name, value, op, limit) =>
    t.push({
      name,
      value,
      target: `${op} ${limit}`,
      met: value === undefined ? null : op === '≤' ? value <= limit : value >= limit,
    });
  if (r.trial) add('trial ratio ours/floor', r.trial.ratio, '≤', 1.15);
  if (r.compose) add('compose trial ratio ours/floor', r.compose.ratio, '≤', 1.15);
  if (r.startup) add('cli load ms (node dist/cli.js --help, wall)', r.startup.cli_help_ms, '≤', 150);
  if (r.startup?.action_ms !== undefined) add('action bundle load ms (wall)', r.startup.action_ms, '≤', 150);
  if (r.stream) add('stream throughput ours/floor', r.stream.throughput_ratio, '≥', 0.5);
  if (r.stream) add('stream peak RSS MB', r.stream.peak_rss_mb, '≤', 150);
  return t;
}

export function renderTable(r) {
  const rows = [['measure', 'ours', 'floor', 'ratio', 'target']];
  const s = r.startup;
  if (s) {
    rows.push(['process start: node -e 0 (ms)', f(s.node_ms), '', '', '']);
    rows.push([
      'fixed cost: cli --help (ms) / bundle load',
      f(s.cli_help_ms),
      f(s.node_ms),
      f(s.cli_help_ms / s.node_ms, 2),
      `≤ 150 ms`,
    ]);
    rows.push(['  cli bundle load alone (ms) / size (KB)', f(s.cli_load_ms), '', '', `${f(s.cli_bytes / 1024)} KB`]);
    if (s.action_ms !== undefined) {
      rows.push(['action bundle load (ms)', f(s.action_ms), f(s.node_ms), f(s.action_ms / s.node_ms, 2), '≤ 150 ms']);
      rows.push([
        '  action bundle load alone (ms) / size (KB)',
        f(s.action_load_ms),
        '',
        '',
        `${f(s.action_bytes / 1024)} KB`,
      ]);
    }
  }
  if (r.trial)
    rows.push([
      `trivial trial, whole tb2 run (ms, median of ${r.runs})`,
      f(r.trial.ours_ms),
      f(r.trial.floor_ms),
      f(r.trial.ratio, 3),
      '≤ 1.15',
    ]);
  if (r.compose)
    rows.push([
      `trivial 2-service compose trial (ms, median of ${r.runs})`,
      f(r.compose.ours_ms),
      f(r.compose.floor_ms),
      f(r.compose.ratio, 3),
      '≤ 1.15',
    ]);
  if (r.stream) {
    const st = r.stream;
    const gb = f(st.bytes / 2 ** 30, 2);
    rows.push([
      `stream ${gb} GiB: agent phase (MB/s)`,
      f(st.ours_mb_s),
      f(st.floor_mb_s),
      f(st.throughput_ratio, 2),
      '≥ 0.5',
    ]);
    rows.push([
      `stream ${gb} GiB: whole run (s)`,
      f(st.ours_wall_s, 2),
      f(st.floor_wall_s, 2),
      f(st.ours_wall_s / st.floor_wall_s, 2),
      '',
    ]);
    rows.push(['stream: peak RSS of tb2 (MB)', f(st.peak_rss_mb), '', '', '≤ 150 MB']);
  }
  for (const c of r.concurrency ?? [])
    rows.push([`16 trials, concurrency ${c.concurrency} (ms)`, f(c.ours_ms), f(c.floor_ms), f(c.ratio, 3), '']);
  if (r.pipeline) {
    const p = r.pipeline;
    rows.push([
      `per-line pipeline, in process: ${f(p.lines / 1e6, 1)}M lines (MB/s)`,
      f(p.mb_per_s),
      r.stream ? f(r.stream.floor_mb_s) : '',
      r.stream ? f(p.mb_per_s / r.stream.floor_mb_s, 2) : '',
      '',
    ]);
    rows.push(['  per-line pipeline peak RSS (MB)', f(p.peak_rss_mb), '', '', '']);
  }
  if (r.aggregation) {
    const a = r.aggregation;
    rows.push([`aggregateJob, ${a.n} synthetic results (ms)`, f(a.aggregate_ms, 1), '', '', '']);
    if (a.read_ms !== undefined)
      rows.push([
        `collectTrials + aggregate, ${a.read_count} result.json (ms)`,
        f(a.read_and_aggregate_ms),
        '',
        '',
        '',
      ]);
    rows.push(['  aggregation peak RSS (MB)', f(a.peak_rss_mb), '', '', '']);
  }
  const w = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row) => `| ${row.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join(' | ')} |`;
  const out = [
    line(rows[0]),
    `|${w.map((x, i) => (i === 0 ? '-'.repeat(x + 2) : `${'-'.repeat(x + 1)}:`)).join('|')}|`,
    ...rows.slice(1).map(line),
  ];
  out.push(
    '',
    `machine: ${r.machine.cpu}, ${r.machine.memory_gb} GB, node ${r.machine.node}, docker ${r.machine.docker}; load ${r.machine.load_before.join(' ')} → ${r.machine.load_after.join(' ')}`,
  );
  for (const t of r.targets)
    out.push(
      `${t.met === null ? '?' : t.met ? 'MET    ' : 'NOT MET'}  ${t.name}: ${f(t.value, t.value < 10 ? 3 : 0)} (target ${t.target})`,
    );
  return out.join('\n') + '\n';
}
