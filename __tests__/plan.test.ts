// The planner of `tb2 plan` (issue 16): the list-scheduling model against hand-worked
// cases, LPT packing, and planMatrix's limits, attempt splitting, ordering and ties.
import { listScheduleMakespan, makespanBound, packLongestFirst, type Piece } from '../src/task/schedule.js';
import { MAX_MATRIX_JOBS, planMatrix, type MatrixEntry, type PlannedTask } from '../src/task/shards.js';

const tasksOf = (secs: number[], prefix = 't'): PlannedTask[] =>
  secs.map((estimateSec, i) => ({ dir: `set/${prefix}${i}`, name: `${prefix}${i}`, estimateSec }));

/** Attempts per task dir over all entries, and the check that no entry lists a task twice. */
function attemptsByTask(include: MatrixEntry[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of include) {
    const dirs = e.tasks.split('\n');
    expect(new Set(dirs).size).toBe(dirs.length);
    expect(e.count).toBe(dirs.length);
    for (const d of dirs) out.set(d, (out.get(d) ?? 0) + e.attempts);
  }
  return out;
}

const makespanOf = (include: MatrixEntry[], slots: number) =>
  listScheduleMakespan(
    include.map((e) => e.expected_sec),
    slots,
  );

describe('list scheduling (how GitHub runs a matrix under max-parallel)', () => {
  test("Graham's LPT example: 3,3,2,2,2 on 2 slots ends at 7 (the optimum 6 puts 3+3 and 2+2+2 apart)", () => {
    expect(listScheduleMakespan([3, 3, 2, 2, 2], 2)).toBe(7);
    expect(makespanBound(3, 12, 2)).toBe(6);
  });
  test('5,4,3,3,3 on 2 slots: 5 | 4, then 3 at 4, 3 at 5, 3 at 7: ends at 10', () => {
    expect(listScheduleMakespan([5, 4, 3, 3, 3], 2)).toBe(10);
  });
  test('order matters: the long job last waits for a slot', () => {
    expect(listScheduleMakespan([1, 1, 10], 2)).toBe(11);
    expect(listScheduleMakespan([10, 1, 1], 2)).toBe(10);
  });
  test('more slots than jobs, no jobs, one slot', () => {
    expect(listScheduleMakespan([4, 2], 5)).toBe(4);
    expect(listScheduleMakespan([], 3)).toBe(0);
    expect(listScheduleMakespan([4, 2, 1], 1)).toBe(7);
    expect(() => listScheduleMakespan([1], 0)).toThrow(RangeError);
  });
  test('the bound: the longest single attempt, or all the work spread over the slots', () => {
    expect(makespanBound(3600, 10_000, 4)).toBe(3600);
    expect(makespanBound(100, 1000, 4)).toBe(250);
  });
});

describe('LPT packing into shards', () => {
  const piece = (task: number, sec: number, first = 1): Piece => ({ task, attempts: 1, first, sec });
  test('longest first into the least loaded bin with room: 6,5,4,3,2,1 in 2 bins of 3 -> {6,3,2} {5,4,1}', () => {
    const bins = packLongestFirst(
      [1, 2, 3, 4, 5, 6].map((s) => piece(s, s)),
      2,
      3,
    )!;
    expect(bins.map((b) => b.map((p) => p.sec))).toEqual([
      [6, 3, 2],
      [5, 4, 1],
    ]);
  });
  test('a bin never holds two pieces of one task; unplaceable pieces give undefined', () => {
    const two = [piece(0, 5, 1), piece(0, 5, 2), piece(1, 1)];
    const bins = packLongestFirst(two, 2, 2)!;
    expect(bins.map((b) => b.map((p) => p.task).sort())).toEqual([[0, 1], [0]]);
    expect(packLongestFirst(two, 1, 3)).toBeUndefined();
  });
  test('the cap is kept, and empty bins are not returned', () => {
    expect(packLongestFirst([piece(0, 1), piece(1, 1), piece(2, 1)], 5, 1)!.map((b) => b.length)).toEqual([1, 1, 1]);
    expect(packLongestFirst([piece(0, 1), piece(1, 1), piece(2, 1)], 1, 2)).toBeUndefined();
  });
});

describe('planMatrix', () => {
  test('one task: one entry with every attempt', () => {
    const plan = planMatrix(tasksOf([120]), { attempts: 3 });
    expect(plan.include).toEqual([
      { shard: '1', name: 't0', tasks: 'set/t0', count: 1, attempts: 3, expected_sec: 360 },
    ]);
    expect(plan.notes).toEqual([]);
    expect(plan.slots).toBe(1);
    expect(plan.makespanSec).toBe(360);
  });

  test('defaults: one task per entry, one attempt, longest first, ties in folder order, padded shard ids', () => {
    const plan = planMatrix(tasksOf([10, 30, 20, 30, 5, 5, 5, 5, 5, 5, 5]), {});
    expect(plan.include.map((e) => e.name)).toEqual([
      't1',
      't3',
      't2',
      't0',
      't4',
      't5',
      't6',
      't7',
      't8',
      't9',
      't10',
    ]);
    expect(plan.include.map((e) => e.shard)).toEqual([
      '01',
      '02',
      '03',
      '04',
      '05',
      '06',
      '07',
      '08',
      '09',
      '10',
      '11',
    ]);
    expect(plan.include.every((e) => e.attempts === 1 && e.count === 1)).toBe(true);
    // Unset --max-parallel: one slot per shard.
    expect(plan.slots).toBe(11);
  });

  test('entries come out longest first', () => {
    const plan = planMatrix(tasksOf([7, 300, 45, 1200, 60, 60, 3]), { attempts: 2, maxParallel: 3 });
    const secs = plan.include.map((e) => e.expected_sec);
    expect(secs).toEqual([...secs].sort((a, b) => b - a));
  });

  test('shards of N balanced by expected duration (hand-worked: 6,5,4,3,2,1 in 2 shards of 3)', () => {
    const plan = planMatrix(tasksOf([6, 5, 4, 3, 2, 1].map((s) => s * 100)), { shardSize: 3 });
    expect(plan.slots).toBe(2);
    expect(plan.include).toEqual([
      { shard: '1', name: 't0…t4 (3)', tasks: 'set/t0\nset/t3\nset/t4', count: 3, attempts: 1, expected_sec: 1100 },
      { shard: '2', name: 't1…t5 (3)', tasks: 'set/t1\nset/t2\nset/t5', count: 3, attempts: 1, expected_sec: 1000 },
    ]);
    expect(plan.makespanSec).toBe(1100);
    expect(plan.boundSec).toBe(1050);
  });

  test('--max-jobs: never more entries; shards grow to fit and a note says so', () => {
    const tasks = tasksOf(Array.from({ length: 300 }, (_, i) => 60 + (i % 7) * 30));
    const plan = planMatrix(tasks, {});
    expect(plan.include.length).toBeLessThanOrEqual(MAX_MATRIX_JOBS);
    expect(plan.shardSize).toBe(2);
    expect(plan.include.every((e) => e.count <= 2)).toBe(true);
    expect(plan.notes).toEqual(['300 tasks do not fit in 256 jobs of 1: shards grown to 2 tasks (--max-jobs 256)']);
    expect([...attemptsByTask(plan.include).values()]).toEqual(Array(300).fill(1));
    const three = planMatrix(tasksOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), { maxJobs: 3, attempts: 4, maxParallel: 8 });
    expect(three.include.length).toBeLessThanOrEqual(3);
    expect(three.shardSize).toBe(4);
    expect([...attemptsByTask(three.include).values()]).toEqual(Array(10).fill(4));
  });

  test('--max-jobs also caps splitting: 5 tasks × 5 attempts in at most 5 jobs are never split', () => {
    const plan = planMatrix(tasksOf([600, 60, 60, 60, 60]), { attempts: 5, maxJobs: 5, maxParallel: 5 });
    expect(plan.include).toHaveLength(5);
    expect(plan.include.every((e) => e.attempts === 5)).toBe(true);
    expect(plan.notes).toEqual([]);
  });

  test('splitting attempts: a long task spreads over the slots and the plan meets the bound (hand-worked)', () => {
    // long: 4 × 100 s; four short tasks 4 × 10 s. On 4 slots the bound is max(100, 560 / 4) = 140:
    // long's attempts one per entry, then a short task after each: 100 + 40 on every slot.
    const tasks: PlannedTask[] = [{ dir: 'set/long', name: 'long', estimateSec: 100 }, ...tasksOf([10, 10, 10, 10])];
    const plan = planMatrix(tasks, { attempts: 4, maxParallel: 4 });
    expect(plan.boundSec).toBe(140);
    expect(plan.makespanSec).toBe(140);
    expect(plan.include.slice(0, 4).map((e) => [e.name, e.tasks, e.attempts, e.expected_sec])).toEqual([
      ['long (attempt 1 of 4)', 'set/long', 1, 100],
      ['long (attempt 2 of 4)', 'set/long', 1, 100],
      ['long (attempt 3 of 4)', 'set/long', 1, 100],
      ['long (attempt 4 of 4)', 'set/long', 1, 100],
    ]);
    expect(plan.include.slice(4).map((e) => [e.name, e.attempts, e.expected_sec])).toEqual([
      ['t0', 4, 40],
      ['t1', 4, 40],
      ['t2', 4, 40],
      ['t3', 4, 40],
    ]);
    expect(attemptsByTask(plan.include).get('set/long')).toBe(4);
  });

  test('no split when it does not balance better: every split costs a job start-up', () => {
    const plan = planMatrix(tasksOf([10, 10, 10, 10]), { attempts: 2, maxParallel: 4 });
    expect(plan.include.map((e) => [e.attempts, e.expected_sec])).toEqual([
      [2, 20],
      [2, 20],
      [2, 20],
      [2, 20],
    ]);
    expect(plan.makespanSec).toBe(plan.boundSec);
  });

  test('uneven splits keep consecutive attempt ranges: 5 attempts in 2 entries are 1-3 and 4-5', () => {
    // 5 × 100 s on 2 slots with nothing else: 300 | 200 beats 500 by far.
    const plan = planMatrix([{ dir: 'x', name: 'x', estimateSec: 100 }], { attempts: 5, maxParallel: 2 });
    expect(plan.include.map((e) => [e.name, e.attempts, e.expected_sec])).toEqual([
      ['x (attempts 1-3 of 5)', 3, 300],
      ['x (attempts 4-5 of 5)', 2, 200],
    ]);
  });

  test('more shards than tasks: 2 tasks × 6 attempts on 8 slots', () => {
    const plan = planMatrix(tasksOf([600, 600]), { attempts: 6, maxParallel: 8 });
    expect(plan.include.length).toBeGreaterThan(2);
    expect(plan.include.length).toBeLessThanOrEqual(8);
    expect([...attemptsByTask(plan.include).values()]).toEqual([6, 6]);
    // The bound is max(600, 7200 / 8) = 900; unsplit would take 3600.
    expect(plan.boundSec).toBe(900);
    expect(plan.makespanSec).toBeLessThanOrEqual(1200);
  });

  test('shards of N with split attempts: every entry runs one attempt count, tasks appear once per entry', () => {
    const secs = [3000, 2500, ...Array.from({ length: 40 }, (_, i) => 60 + ((i * 37) % 240))];
    const plan = planMatrix(tasksOf(secs), { attempts: 5, shardSize: 10, maxParallel: 16 });
    const byTask = attemptsByTask(plan.include);
    expect(byTask.size).toBe(42);
    expect([...byTask.values()].every((n) => n === 5)).toBe(true);
    expect(plan.include.every((e) => e.count <= 10)).toBe(true);
    expect(plan.include.some((e) => e.attempts < 5)).toBe(true);
    expect(plan.makespanSec).toBeLessThanOrEqual(1.1 * plan.boundSec);
    // expected_sec is attempts × the tasks' estimates.
    const est = new Map(tasksOf(secs).map((t) => [t.dir, t.estimateSec]));
    for (const e of plan.include)
      expect(e.expected_sec).toBe(e.attempts * e.tasks.split('\n').reduce((a, d) => a + est.get(d)!, 0));
  });

  test('skewed durations: within 1.10 of the bound where the folder order is not', () => {
    // 4 long tasks at the end of the folder order, 60 short ones before them.
    const secs = [...Array.from({ length: 60 }, (_, i) => 60 + ((i * 53) % 180)), 3000, 2800, 2600, 2400];
    const tasks = tasksOf(secs);
    for (const slots of [4, 20, 64]) {
      const plan = planMatrix(tasks, { maxParallel: slots });
      expect(plan.makespanSec / plan.boundSec).toBeLessThanOrEqual(1.1);
      expect(makespanOf(plan.include, slots)).toBe(plan.makespanSec);
      const folderOrder = listScheduleMakespan(secs, slots) / plan.boundSec;
      expect(plan.makespanSec / plan.boundSec).toBeLessThanOrEqual(folderOrder);
      // On 20 slots the short tasks spread first and the long ones start late.
      if (slots === 20) expect(folderOrder).toBeGreaterThan(1.1);
    }
  });

  test('deterministic: the same input gives the same plan; equal tasks keep folder order', () => {
    const tasks = tasksOf([50, 50, 50, 50, 50, 50]);
    const a = planMatrix(tasks, { attempts: 3, maxParallel: 4, shardSize: 2 });
    expect(planMatrix(tasks, { attempts: 3, maxParallel: 4, shardSize: 2 })).toEqual(a);
    const ties = planMatrix(tasks, {});
    expect(ties.include.map((e) => e.name)).toEqual(['t0', 't1', 't2', 't3', 't4', 't5']);
  });

  test('programming errors are refused: no task, non-positive estimate or option', () => {
    expect(() => planMatrix([], {})).toThrow(/no task/);
    expect(() => planMatrix(tasksOf([0]), {})).toThrow(/estimates must be positive/);
    expect(() => planMatrix(tasksOf([1]), { maxJobs: 0 })).toThrow(/maxJobs must be a positive whole number/);
    expect(() => planMatrix(tasksOf([1]), { attempts: 1.5 })).toThrow(/attempts/);
  });
});
