// Reading the verifier's verdict (LIFECYCLE step 5). The reward is only the reward file:
// /logs/verifier/reward.json (a flat object of numbers) is read first, else reward.txt
// (one number). test.sh's exit code is not the reward. Per-test results come from CTRF:
// https://ctrf.io/docs/specification/overview
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { TrialError } from '../errors.js';
import type { TestCase } from '../events.js';

export interface Rewards {
  rewards: Record<string, number>;
  reward: number;
}

const finite = z.number().finite();
const rewardJson = z.record(z.string(), finite).refine((o) => Object.keys(o).length > 0, 'expected at least one key');

/** reward.json text -> rewards; the main one is `reward`, or the only key. */
export function parseRewardJson(text: string): Rewards {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new TrialError('RewardFileParseError', `reward.json: not valid JSON (${preview(text)})`);
  }
  const parsed = rewardJson.safeParse(raw);
  if (!parsed.success)
    throw new TrialError(
      'RewardFileParseError',
      `reward.json: expected a flat object of finite numbers, got ${preview(text)}`,
    );
  const rewards = parsed.data;
  const keys = Object.keys(rewards);
  const main = 'reward' in rewards ? rewards.reward : keys.length === 1 ? rewards[keys[0]] : undefined;
  if (main === undefined)
    throw new TrialError('RewardFileParseError', `reward.json: several keys (${keys.join(', ')}) and none is "reward"`);
  return { rewards, reward: main };
}

/** reward.txt text -> one finite number (surrounding white space allowed). */
export function parseRewardTxt(text: string): Rewards {
  const t = text.trim();
  if (!t) throw new TrialError('RewardFileEmptyError', 'reward.txt: empty (expected one number)');
  const n = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : NaN;
  if (!Number.isFinite(n))
    throw new TrialError('RewardFileParseError', `reward.txt: expected one number, got ${preview(t)}`);
  return { rewards: { reward: n }, reward: n };
}

const ctrfSchema = z.object({
  results: z.object({
    tests: z.array(
      z.looseObject({
        name: z.string(),
        status: z.string(),
        duration: z.number().optional(),
        message: z.string().optional(),
        trace: z.string().optional(),
      }),
    ),
  }),
});

/** ctrf.json text -> test cases; null when it is not CTRF (recorded, not fatal). */
export function parseCtrf(text: string): TestCase[] | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = ctrfSchema.safeParse(raw);
  if (!parsed.success) return null;
  return parsed.data.results.tests.map((t) => ({
    name: t.name,
    status: t.status,
    ...(t.duration !== undefined ? { duration_ms: t.duration } : {}),
    ...(t.message ? { message: t.message.slice(0, 2000) } : {}),
  }));
}

const MAX_REWARD_FILE = 64 * 1024;

/** Read the verifier folder on the host (it is bind-mounted from the trial folder). */
export async function readVerdict(verifierDir: string): Promise<Rewards & { tests: TestCase[]; ctrfError?: string }> {
  const read = async (name: string) => {
    const text = await readFile(path.join(verifierDir, name), 'utf8').catch(() => undefined);
    return text !== undefined && text.length > MAX_REWARD_FILE ? text.slice(0, MAX_REWARD_FILE) : text;
  };
  const json = await read('reward.json');
  const txt = json === undefined ? await read('reward.txt') : undefined;
  if (json === undefined && txt === undefined) {
    throw new TrialError(
      'RewardFileNotFoundError',
      'no reward file: the verifier wrote neither /logs/verifier/reward.json nor reward.txt',
    );
  }
  const verdict = json !== undefined ? parseRewardJson(json) : parseRewardTxt(txt!);
  const ctrfText = await readFile(path.join(verifierDir, 'ctrf.json'), 'utf8').catch(() => undefined);
  const tests = ctrfText === undefined ? [] : parseCtrf(ctrfText);
  return {
    ...verdict,
    tests: tests ?? [],
    ...(tests === null ? { ctrfError: 'ctrf.json: not a CTRF report (expected results.tests[])' } : {}),
  };
}

function preview(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return JSON.stringify(t.length > 60 ? `${t.slice(0, 60)}…` : t);
}
