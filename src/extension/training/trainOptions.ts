/** The "Train with Options…" quick pick: epochs, learning rate and backend for one run. */
import * as vscode from 'vscode';
import { checkNetwork } from '../../model';
import type { TrainOverrides } from '../../protocol';

/** Asks for this run's overrides, starting from the file's values; undefined when cancelled. */
export async function askOverrides(text: string): Promise<TrainOverrides | undefined> {
  const training = checkNetwork(text).parsed.doc?.training;
  const epochs = await vscode.window.showInputBox({
    title: 'Train with Options (1/3): epochs', prompt: 'Passes over the training data for this run',
    value: String(training?.epochs ?? 100),
    validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 ? undefined : 'A whole number ≥ 1'),
  });
  if (epochs === undefined) return undefined;
  const lr = await vscode.window.showInputBox({
    title: 'Train with Options (2/3): learning rate', prompt: 'Step size of the optimizer for this run',
    value: String(training?.optimizer?.learningRate ?? 0.01),
    // The same range as the file's optimizer.learningRate; the training process refuses others.
    validateInput: (v) => (Number(v) > 0 && Number(v) <= 10 ? undefined : 'A positive number up to 10, e.g. 0.01'),
  });
  if (lr === undefined) return undefined;
  const backend = await vscode.window.showQuickPick([
    { label: 'auto', description: 'WebGPU when it pays off, else the CPU' },
    { label: 'cpu', description: 'always the CPU' },
    { label: 'webgpu', description: 'the GPU through WebGPU (fails if no adapter)' },
  ], { title: 'Train with Options (3/3): backend' });
  if (!backend) return undefined;
  return { epochs: Number(epochs), learningRate: Number(lr), backend: backend.label as TrainOverrides['backend'] };
}
