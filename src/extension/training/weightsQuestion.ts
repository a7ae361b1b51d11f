/**
 * What Train and Step do about the saved weights, given how they stand (the trainer's
 * SavedWeightsState) and the user's answer: weights that fit are continued from, no file needs no
 * question, and a file that does not fit or is damaged is replaced only when the user says so,
 * optionally after keeping a copy as `name.weights.<n>.safetensors`. Pure: the controller shows
 * the question and copies the file.
 */
import * as path from 'node:path';
import type { SavedWeightsState } from '../../protocol';

/** The Replace button (the dialog adds Cancel). */
export const REPLACE_ANSWER = 'Replace';

/** The Keep a Copy button, naming the copy. */
export function keepCopyAnswer(copyName: string): string {
  return `Keep a Copy as ${path.basename(copyName)}`;
}

/** The modal question to ask, or undefined when there is nothing to ask. */
export interface WeightsQuestion {
  message: string;
  detail: string;
  buttons: string[];
}

/** What to do next. */
export type WeightsDecision =
  | { proceed: false }
  /** Run, replacing the file (replaceWeights) when it does not fit; first copy it to `copyTo` when set. */
  | { proceed: true; replaceWeights: boolean; copyTo?: string };

/** `dir/name.weights.safetensors` → `dir/name.weights.<n>.safetensors` with the first n ≥ 1 that `exists` says is free. */
export function copyNameFor(weightsFile: string, exists: (file: string) => boolean): string {
  const base = weightsFile.endsWith('.safetensors') ? weightsFile.slice(0, -'.safetensors'.length) : weightsFile;
  for (let n = 1; ; n++) {
    const candidate = `${base}.${n}.safetensors`;
    if (!exists(candidate)) return candidate;
  }
}

/** The question for `state` before `action` (e.g. "Train", "Step"), or undefined when none is needed. */
export function weightsQuestion(state: SavedWeightsState, action: string, copyName: string): WeightsQuestion | undefined {
  if (state.status === 'none' || state.status === 'fits') return undefined;
  const name = path.basename(state.file);
  const why = state.status === 'damaged' ? 'is damaged' : 'does not fit the design';
  return {
    message: `${name} ${why}. ${action} starts from fresh weights and replaces it.`,
    detail: `${state.problem}\n\nReplace: overwrite ${name} with the new weights.\nKeep a Copy: copy the old file to ${path.basename(copyName)} first, then replace it.\nCancel: leave everything as it is (undo the change to the design to continue from the saved weights).`,
    buttons: [REPLACE_ANSWER, keepCopyAnswer(copyName)],
  };
}

/** What to do given the state and the button the user picked (undefined: dismissed, i.e. Cancel). */
export function weightsDecision(state: SavedWeightsState, answer: string | undefined, copyName: string): WeightsDecision {
  if (state.status === 'none' || state.status === 'fits') return { proceed: true, replaceWeights: false };
  if (answer === REPLACE_ANSWER) return { proceed: true, replaceWeights: true };
  if (answer === keepCopyAnswer(copyName)) return { proceed: true, replaceWeights: true, copyTo: copyName };
  return { proceed: false };
}
