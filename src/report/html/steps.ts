// A multi-step trial's steps in the HTML report: a row per step that ran (Harbor's
// StepResult: src/harbor/models/trial/result.py, plus our reward and verifier mode), and
// why the trial stopped when it stopped early. Pure.
import type { TrialResult } from '../../trial-result.js';
import { escapeHtml as esc, num } from '../markdown.js';

const rewardOf = (s: NonNullable<TrialResult['step_results']>[number]): number | null => {
  const own = (s as { reward?: unknown }).reward;
  if (typeof own === 'number') return own;
  const r = s.verifier_result?.rewards;
  return r && typeof r.reward === 'number' ? r.reward : null;
};

export function stepsTable(t: TrialResult): string {
  const steps = t.step_results;
  if (!steps?.length) return '';
  const m = t.multi_step;
  const caption = m
    ? `Steps: ${m.ran}/${m.total} ran · trial reward: ${m.strategy === 'final' ? 'the last step' : 'mean of steps'}`
    : `Steps: ${steps.length}`;
  const rows = steps.map((s, i) => {
    const mode = (s as { verifier_mode?: unknown }).verifier_mode;
    const x = s.exception_info;
    return (
      `<tr><td>${i + 1}. ${esc(s.step_name)}</td><td class="n">${num(rewardOf(s), 4)}</td>` +
      `<td>${typeof mode === 'string' ? esc(mode) : '-'}</td>` +
      `<td>${x ? `${esc(x.exception_type)}: ${esc(x.exception_message.slice(0, 500))}` : ''}</td></tr>`
    );
  });
  const stopped = m?.stopped
    ? `<p class="error">Stopped after step <strong>${esc(m.stopped.step)}</strong>: ${esc(m.stopped.reason)}</p>`
    : '';
  return (
    `<table class="steps"><caption>${caption}</caption><thead><tr><th>Step</th><th>Reward</th><th>Verifier</th>` +
    `<th>Error</th></tr></thead><tbody>${rows.join('')}</tbody></table>${stopped}`
  );
}
