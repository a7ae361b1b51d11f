/** The commands Restricted Mode refuses, as their warnings name them (shared by the suite and the runner; no vscode import). */
export const RESTRICTED_COMMANDS = ['Train', 'Train with Options', 'Step', 'Predict', 'Check Gradients', 'Export', 'Reset Weights'];

/** The warning of a refused command, as restrictedMessage() in src/extension/training/trainingController.ts writes it. */
export function refusalPattern(command: string): RegExp {
  return new RegExp(`^Neural Canvas: ${command} is disabled in Restricted Mode\\. .*Trust this workspace`);
}
