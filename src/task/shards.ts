// `tb2 plan`: task folders with expected durations -> a GitHub job matrix for
// `strategy.matrix: ${{ fromJSON(...) }}` (https://docs.github.com/en/actions/using-jobs/using-a-matrix-for-your-jobs).
// An entry runs `attempts` trials of each of its `tasks` (newline-separated, the form the
// action's `task` input takes) one after another, so `expected_sec` is their sum. How the
// plan is found (the scheduling model is in schedule.ts):
//   1. an entry holds at most --shard-size tasks, grown when the tasks would not fit in
//      --max-jobs entries (a matrix of more than 256 jobs fails the whole workflow);
//   2. each candidate split of every task's attempts over entries, from none to one
//      attempt per entry, cut by a piece length that shrinks from the lower bound;
//   3. for each, the pieces packed longest first into E entries, E from the fewest that
//      hold them up to --max-jobs, and the entries ordered longest first;
//   4. the candidate whose list schedule on the slots ends first wins, every entry
//      charged a job's start-up so a split must pay for itself; ties go to fewer entries.
// Pure.
import { listScheduleMakespan, makespanBound, packLongestFirst, type Piece } from './schedule.js';

/** GitHub's limit: a matrix of more jobs fails the whole workflow. */
export const MAX_MATRIX_JOBS = 256;
/** What a matrix job costs before its first trial (runner, checkouts, action start). */
export const JOB_OVERHEAD_SEC = 30;

export interface PlannedTask {
  /** The folder as given: what the entry's `tasks` lists. */
  dir: string;
  name: string;
  /** Expected duration of one attempt (s), > 0. */
  estimateSec: number;
}

/** The flags of `tb2 plan`; unset ones take the defaults here. */
export interface PlanOptions {
  /** The most tasks an entry holds (1). */
  shardSize?: number;
  /** Trials per task over all its entries (1). */
  attempts?: number;
  /** The most entries (256, GitHub's limit). */
  maxJobs?: number;
  /** Jobs run at once; unset: as many as there are shards of --shard-size tasks. */
  maxParallel?: number;
  jobOverheadSec?: number;
}

export interface MatrixEntry {
  /** Unique and short: used in job names and artifact names. */
  shard: string;
  name: string;
  tasks: string;
  count: number;
  /** Trials per task in this entry; a task's entries add up to --attempts. */
  attempts: number;
  expected_sec: number;
}

export interface Plan {
  include: MatrixEntry[];
  attempts: number;
  /** The most tasks an entry may hold (--shard-size, or grown to fit --max-jobs). */
  shardSize: number;
  /** The slots the schedule was planned for. */
  slots: number;
  /** The entries' list schedule on `slots`, without job start-up. */
  makespanSec: number;
  boundSec: number;
  /** Lines for stderr (e.g. shards grown to fit). */
  notes: string[];
}

interface Shard {
  pieces: Piece[];
  attempts: number;
  sec: number;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
// Not Math.max(...xs): a spread of a hundred thousand pieces overflows the stack.
const max = (xs: readonly number[]) => xs.reduce((a, b) => Math.max(a, b), -Infinity);
const min = (xs: readonly number[]) => xs.reduce((a, b) => Math.min(a, b), Infinity);

/** K attempts as `chunks` runs of consecutive attempts, as even as possible (5 in 2: 1-3, 4-5). */
function piecesOf(task: number, estimateSec: number, attempts: number, chunks: number): Piece[] {
  const out: Piece[] = [];
  for (let j = 0, first = 1; j < chunks; j++) {
    const n = Math.floor(attempts / chunks) + (j < attempts % chunks ? 1 : 0);
    out.push({ task, attempts: n, first, sec: n * estimateSec });
    first += n;
  }
  return out;
}

/** Piece length limits to try: no split, then from the bound down to a single attempt. */
function* splitLimits(bound: number, shortest: number): Generator<number> {
  yield Infinity;
  for (let limit = bound, i = 0; limit > shortest && i < 64; limit *= 0.85, i++) yield limit;
  yield 0;
}

/** Entry counts worth trying between lo and hi: all of them, or multiples of the slots and a geometric grid. */
function shardCounts(lo: number, hi: number, slots: number): number[] {
  if (hi - lo <= 64) return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  const out = new Set([lo, hi]);
  for (let k = Math.ceil(lo / slots) * slots; k <= hi && out.size < 128; k += slots) out.add(k);
  for (let x = lo; x < hi; x = Math.ceil(x * 1.05)) out.add(x);
  return [...out].sort((a, b) => a - b);
}

/** Every entry runs one attempt count, so pieces of the same count share entries; the fewest entries each group needs. */
function groupsOf(pieces: Piece[], shardSize: number) {
  const byAttempts = new Map<number, Piece[]>();
  for (const p of pieces) {
    const group = byAttempts.get(p.attempts);
    if (group) group.push(p);
    else byAttempts.set(p.attempts, [p]);
  }
  return [...byAttempts.entries()]
    .sort(([a], [b]) => b - a)
    .map(([attempts, ps]) => {
      const perTask = new Map<number, number>();
      for (const p of ps) perTask.set(p.task, (perTask.get(p.task) ?? 0) + 1);
      const fewest = Math.max(Math.ceil(ps.length / shardSize), max([...perTask.values()]));
      return { attempts, pieces: ps, fewest, work: sum(ps.map((p) => p.sec)) };
    });
}

/** `count` entries over the groups (extra ones to the group whose entries are heaviest), each group packed longest first. */
function pack(groups: ReturnType<typeof groupsOf>, count: number, shardSize: number): Shard[] | undefined {
  const bins = groups.map((g) => g.fewest);
  for (let extra = count - sum(bins); extra > 0; extra--) {
    let k = -1;
    groups.forEach((g, i) => {
      if (bins[i] < g.pieces.length && (k < 0 || g.work / bins[i] > groups[k].work / bins[k])) k = i;
    });
    if (k < 0) break;
    bins[k]++;
  }
  const shards: Shard[] = [];
  for (const [i, g] of groups.entries()) {
    const packed = packLongestFirst(g.pieces, bins[i], shardSize);
    if (!packed) return undefined;
    for (const ps of packed) shards.push({ pieces: ps, attempts: g.attempts, sec: sum(ps.map((p) => p.sec)) });
  }
  return shards;
}

function entryName(s: Shard, tasks: readonly PlannedTask[], attempts: number): string {
  const names = s.pieces.map((p) => tasks[p.task].name);
  const split = s.attempts < attempts;
  if (names.length === 1) {
    const { first, attempts: n } = s.pieces[0];
    const range = n === 1 ? `attempt ${first}` : `attempts ${first}-${first + n - 1}`;
    return split ? `${names[0]} (${range} of ${attempts})` : names[0];
  }
  const head = `${names[0]}…${names.at(-1)}`;
  return split ? `${head} (${names.length}, ${s.attempts} of ${attempts} attempts each)` : `${head} (${names.length})`;
}

export function planMatrix(tasks: readonly PlannedTask[], opts: PlanOptions): Plan {
  const { attempts = 1, maxJobs = MAX_MATRIX_JOBS } = opts;
  if (tasks.length === 0) throw new RangeError('planMatrix: no task to plan');
  for (const [k, x] of Object.entries({ shardSize: opts.shardSize, attempts, maxJobs, maxParallel: opts.maxParallel }))
    if (x !== undefined && !(Number.isInteger(x) && x >= 1))
      throw new RangeError(`planMatrix: ${k} must be a positive whole number, got ${x}`);
  const est = tasks.map((t) => t.estimateSec);
  if (est.some((d) => !(d > 0 && Number.isFinite(d)))) throw new RangeError('planMatrix: estimates must be positive');
  const notes: string[] = [];
  const asked = opts.shardSize ?? 1;
  const shardSize = Math.max(asked, Math.ceil(tasks.length / maxJobs));
  if (shardSize > asked)
    notes.push(
      `${tasks.length} tasks do not fit in ${maxJobs} jobs of ${asked}: shards grown to ${shardSize} tasks (--max-jobs ${maxJobs})`,
    );
  const slots = opts.maxParallel ?? Math.ceil(tasks.length / shardSize);
  const work = attempts * sum(est);
  const boundSec = makespanBound(max(est), work, slots);
  const overhead = opts.jobOverheadSec ?? JOB_OVERHEAD_SEC;

  let best: { shards: Shard[]; cost: number } | undefined;
  const seen = new Set<string>();
  for (const limit of splitLimits(boundSec, min(est))) {
    const chunks = est.map((d) => Math.min(attempts, Math.max(1, Math.ceil((attempts * d) / limit - 1e-9))));
    const key = chunks.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    const pieces = chunks.flatMap((c, i) => piecesOf(i, est[i], attempts, c));
    const groups = groupsOf(pieces, shardSize);
    const fewest = sum(groups.map((g) => g.fewest));
    if (fewest > maxJobs) continue;
    // No schedule of `count` entries ends before its longest piece, nor before all the
    // work and start-ups spread evenly: past the best so far, packing is not worth it.
    const beaten = (floor: number) => best !== undefined && floor > best.cost * (1 + 1e-9);
    if (beaten(max(pieces.map((p) => p.sec)) + overhead)) continue;
    for (const count of shardCounts(fewest, Math.min(maxJobs, pieces.length), slots)) {
      if (beaten((work + count * overhead) / slots)) break;
      const shards = pack(groups, count, shardSize);
      if (!shards) continue;
      shards.sort(
        (a, b) => b.sec - a.sec || a.pieces[0].task - b.pieces[0].task || a.pieces[0].first - b.pieces[0].first,
      );
      const cost = listScheduleMakespan(
        shards.map((s) => s.sec + overhead),
        slots,
      );
      const tie = best && cost <= best.cost * (1 + 1e-9);
      if (!best || cost < best.cost * (1 - 1e-9) || (tie && shards.length < best.shards.length))
        best = { shards, cost };
    }
  }
  // Unsplit with shards of `shardSize` always fits, so there is a best.
  const shards = best?.shards ?? [];
  const width = String(shards.length).length;
  const include = shards.map((s, i) => {
    const pieces = [...s.pieces].sort((a, b) => a.task - b.task);
    return {
      shard: String(i + 1).padStart(width, '0'),
      name: entryName({ ...s, pieces }, tasks, attempts),
      tasks: pieces.map((p) => tasks[p.task].dir).join('\n'),
      count: pieces.length,
      attempts: s.attempts,
      expected_sec: Math.round(s.sec),
    };
  });
  const makespanSec = listScheduleMakespan(
    shards.map((s) => s.sec),
    slots,
  );
  return { include, attempts, shardSize, slots, makespanSec, boundSec, notes };
}
