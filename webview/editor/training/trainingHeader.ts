/**
 * The training view's header line: how the run stands in the words every surface uses
 * (runHeadline: the status bar, the progress notification and the gradients panel say the same),
 * then the backend and the parameter count. A "●" marks a run in progress.
 */
import { runHeadline } from '../../../src/protocol';
import type { TrainingState } from './trainingState';

/** The header's text for the view's state ('' when there is nothing to say). */
export function trainingHeader(s: TrainingState): string {
  const headline = runHeadline(s.run);
  if (s.runId < 0) return s.savedWeights && s.run.phase !== 'reset' ? `saved weights: ${s.savedWeights}` : headline;
  const parts = [headline];
  // "starting on cpu" names the backend already.
  if (s.run.phase !== 'starting' || s.run.epoch > 0) parts.push(s.backend);
  if (s.totalParams > 0) parts.push(`${s.totalParams.toLocaleString('en-US')} params`);
  return `${s.running ? '● ' : ''}${parts.filter((p) => p !== '').join(' · ')}`;
}
