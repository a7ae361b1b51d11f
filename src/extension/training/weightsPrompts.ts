/**
 * The modal question before Train and Step replace saved weights that do not fit the design or
 * are damaged (the decision itself is weightsQuestion.ts, pure and unit-tested).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { weightsPathFor } from '../../engine/weights';
import type { SavedWeightsState, TrainerJob } from '../../protocol';
import type { TrainerClient } from './trainerClient';
import { copyNameFor, weightsDecision, weightsQuestion } from './weightsQuestion';

/**
 * Before Train or Step: when the saved weights do not fit the design or are damaged (the
 * trainer says which), asks Replace / Keep a Copy / Cancel and keeps the copy. Resolves with
 * the request's replaceWeights, or undefined when the user cancelled. When the trainer cannot
 * tell (a design with errors), the request goes ahead and reports that error itself.
 */
export async function askWeightsConsent(client: TrainerClient, job: TrainerJob, action: string): Promise<{ replaceWeights?: boolean } | undefined> {
  let state: SavedWeightsState;
  try {
    state = await client.request({ type: 'savedWeights', ...job });
  } catch {
    return {};
  }
  const copy = copyNameFor(weightsPathFor(job.file), (f) => fs.existsSync(f));
  const question = weightsQuestion(state, action, copy);
  const answer = question ? await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, ...question.buttons) : undefined;
  const decision = weightsDecision(state, answer, copy);
  if (!decision.proceed) return undefined;
  if (decision.copyTo) {
    try {
      await fs.promises.copyFile(state.file, decision.copyTo, fs.constants.COPYFILE_EXCL);
    } catch (e) {
      void vscode.window.showErrorMessage(`${action}: could not keep a copy of ${path.basename(state.file)} as ${path.basename(decision.copyTo)} (${messageOf(e)}); nothing was changed.`);
      return undefined;
    }
    void vscode.window.showInformationMessage(`Kept the old weights as ${path.basename(decision.copyTo)}.`);
  }
  return decision.replaceWeights ? { replaceWeights: true } : {};
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
