// The scheduling model behind `tb2 plan` (README "Benchmarks at scale"). GitHub starts the
// jobs of a matrix in the order of `include` as `max-parallel` slots free up
// (https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idstrategymax-parallel):
// greedy list scheduling, which with entries longest first is the LPT rule (Graham 1969,
// within 4/3 of the optimum). Also the LPT packing of pieces into shards. Pure.

/** A binary min-heap of slots or bins: `load`, ties broken by `index` (deterministic). */
class MinHeap<T extends { load: number; index: number }> {
  private readonly items: T[] = [];
  private less = (a: T, b: T) => a.load < b.load || (a.load === b.load && a.index < b.index);
  get size(): number {
    return this.items.length;
  }
  push(x: T): void {
    const a = this.items;
    a.push(x);
    for (let i = a.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    a[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && this.less(a[l], a[m])) m = l;
      if (r < a.length && this.less(a[r], a[m])) m = r;
      if (m === i) break;
      [a[i], a[m]] = [a[m], a[i]];
      i = m;
    }
    return top;
  }
}

/** Makespan of `durations` run in order on `slots` parallel slots, each starting on the first slot to free up. */
export function listScheduleMakespan(durations: readonly number[], slots: number): number {
  if (!Number.isInteger(slots) || slots < 1)
    throw new RangeError(`slots: expected a positive whole number, got ${slots}`);
  const heap = new MinHeap<{ load: number; index: number }>();
  for (let i = 0; i < Math.min(slots, durations.length); i++) heap.push({ load: 0, index: i });
  let makespan = 0;
  for (const d of durations) {
    const slot = heap.pop() ?? { load: 0, index: 0 };
    slot.load += d;
    makespan = Math.max(makespan, slot.load);
    heap.push(slot);
  }
  return makespan;
}

/** No schedule of these attempts on `slots` slots ends sooner: the longest single attempt, or all the work spread evenly. */
export function makespanBound(longestAttemptSec: number, totalSec: number, slots: number): number {
  return Math.max(longestAttemptSec, totalSec / slots);
}

/** Some attempts of one task: `attempts` trials starting at attempt number `first`, `sec` in all. */
export interface Piece {
  task: number;
  attempts: number;
  first: number;
  sec: number;
}

interface Bin {
  load: number;
  index: number;
  pieces: Piece[];
  tasks: Set<number>;
}

/**
 * LPT packing: pieces longest first (ties: task, then first attempt), each into the least
 * loaded of `bins` bins that holds fewer than `cap` pieces and none of the same task (a
 * task listed twice in one job would run once). Every bin gets at least one piece when
 * there are enough; undefined when the pieces do not fit.
 */
export function packLongestFirst(pieces: readonly Piece[], bins: number, cap: number): Piece[][] | undefined {
  const sorted = [...pieces].sort((a, b) => b.sec - a.sec || a.task - b.task || a.first - b.first);
  const heap = new MinHeap<Bin>();
  const all: Bin[] = Array.from({ length: bins }, (_, index) => ({ load: 0, index, pieces: [], tasks: new Set() }));
  all.forEach((b) => heap.push(b));
  for (const piece of sorted) {
    const skipped: Bin[] = [];
    let bin: Bin | undefined;
    while ((bin = heap.pop())) {
      if (!bin.tasks.has(piece.task)) break;
      skipped.push(bin);
    }
    skipped.forEach((b) => heap.push(b));
    if (!bin) return undefined;
    bin.pieces.push(piece);
    bin.tasks.add(piece.task);
    bin.load += piece.sec;
    // A full bin leaves the heap for good.
    if (bin.pieces.length < cap) heap.push(bin);
  }
  return all.filter((b) => b.pieces.length > 0).map((b) => b.pieces);
}
