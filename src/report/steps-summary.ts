// A multi-step trial's steps in the job summary: one row per step that ran (reward, agent
// and verifier time, verifier mode, its error), and why the trial stopped where it did.
import type { TimingInfo, TrialResult } from '../trial-result.js';
import { cell, num, seconds, table } from './markdown.js';

const sec = (t: TimingInfo | null | undefined) =>
  t?.started_at && t.finished_at ? (Date.parse(t.finished_at) - Date.parse(t.started_at)) / 1000 : null;

export function stepsSection(r: TrialResult): string | undefined {
  const steps = r.step_results;
  if (!steps?.length) return undefined;
  const rows = steps.map((s, i) => [
    `${i + 1}. ${cell(s.step_name)}`,
    num(typeof s.reward === 'number' ? s.reward : null, 4),
    seconds(sec(s.agent_execution)),
    seconds(sec(s.verifier)),
    cell(typeof s.verifier_mode === 'string' ? s.verifier_mode : 'shared'),
    cell(s.exception_info ? `${s.exception_info.exception_type}: ${s.exception_info.exception_message}` : '-', 300),
  ]);
  const m = r.multi_step;
  const how = m
    ? `${m.ran}/${m.total} steps ran · reward: ${m.strategy === 'final' ? 'the last step' : 'mean of steps'}`
    : '';
  const stopped = m?.stopped
    ? `\n\n> ⏭️ stopped after **${cell(m.stopped.step)}**: ${cell(m.stopped.reason, 300)}`
    : '';
  return `#### Steps (${how})\n\n${table(['Step', 'Reward', 'Agent', 'Verifier', 'Verifier mode', 'Error'], rows, ['l', 'r', 'r', 'r', 'l', 'l'])}${stopped}`;
}
