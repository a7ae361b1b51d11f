/**
 * The user's `neuralCanvas.training.neuronHeatmaps` setting: read for each run and Step (off: the
 * training process computes no heatmaps), and written by the training view's "Neuron heatmaps"
 * toggle. The toggle changes the setting rather than only its view, because turning heatmaps off
 * is a preference (a busy graph, a slow machine) a user expects to stay: for every open editor,
 * the next run and the next session. It writes where the setting is already set (the workspace's
 * settings when they set it, so the click is not overridden there), else the user's settings —
 * as VS Code's own view toggles (Toggle Minimap) do — so it never creates or changes a file in the
 * user's project on its own.
 */
import * as vscode from 'vscode';
import type { GraphEditorProvider } from '../graphEditorProvider';
import type { TrainerClient } from './trainerClient';

/** The setting's section and key, as contributed in package.json. */
export const NEURON_HEATMAPS_SETTING = 'neuralCanvas.training.neuronHeatmaps';

/** Whether runs compute and the graph draws neuron heatmaps (default on). */
export function neuronHeatmapsOn(): boolean {
  return vscode.workspace.getConfiguration('neuralCanvas.training').get<boolean>('neuronHeatmaps', true) !== false;
}

/** Where the toggle writes: the workspace's settings when they set it, else the user's. */
export function toggleTarget(inspected: { workspaceValue?: unknown } | undefined): vscode.ConfigurationTarget {
  return inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

/** The training view's toggle: sets the setting (listeners of configuration changes tell the views and the run). */
export async function setNeuronHeatmaps(on: boolean): Promise<void> {
  const config = vscode.workspace.getConfiguration('neuralCanvas.training');
  await config.update('neuronHeatmaps', on, toggleTarget(config.inspect('neuronHeatmaps')));
}

/** When the setting changes (the toggle or Settings), the run in progress and every graph editor follow. */
export function followNeuronHeatmaps(client: Pick<TrainerClient, 'neuronHeatmaps'>, editors: Pick<GraphEditorProvider, 'allSessions'>): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration(NEURON_HEATMAPS_SETTING)) return;
    const on = neuronHeatmapsOn();
    client.neuronHeatmaps(on);
    for (const s of editors.allSessions) s.channel.post({ type: 'viewOptions', neuronHeatmaps: on });
  });
}
