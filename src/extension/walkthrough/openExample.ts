/**
 * Neural Canvas: Open Lecture Example… — the walkthrough's step buttons run it. The examples
 * ship inside the extension, whose folder must never be written (Train saves weights beside the
 * design), so an example is opened from a copy in the workspace's `neural-canvas-examples/`
 * folder: made once, with the user's OK, together with the data files it reads; an existing copy
 * (perhaps changed by the user) is opened as it is, never overwritten. Then the step's command
 * runs on that copy (train, predict, summary, export, the gradients panel) and the step is
 * marked done through a context key its completion event waits on.
 */
import * as vscode from 'vscode';
import { GRAPH_VIEW_TYPE } from '../graphEditorProvider';
import { EXAMPLES_FOLDER, exampleDataFiles, filesToCopy, isExampleName } from './exampleCopy';
import { uriExists as exists } from '../uriExists';

/** The command contributed in package.json. */
export const OPEN_EXAMPLE_COMMAND = 'neuralCanvas.openExample';

/** What a step button may run on the opened example. */
export const EXAMPLE_ACTIONS = {
  train: 'neuralCanvas.train',
  predict: 'neuralCanvas.predict',
  summary: 'neuralCanvas.showSummary',
  export: 'neuralCanvas.export',
  gradients: 'neuralCanvas.showGradientsPanel',
} as const;
export type ExampleAction = keyof typeof EXAMPLE_ACTIONS;

/** The command's options (from a step button's JSON arguments, or a test). */
export interface OpenExampleOptions {
  /** The command to run on the example once it is open. */
  then?: ExampleAction;
  /** Predict's inputs. */
  inputs?: number[];
  /** The walkthrough step this button completes (its context key is set once `then` succeeded). */
  step?: string;
  /** Copy without asking (tests; the question is otherwise always asked before the first copy). */
  confirmed?: boolean;
}

/** The context key a walkthrough step's completion event waits on. */
export function stepDoneKey(step: string): string {
  return `neuralCanvas.walkthrough.${step}`;
}

function options(raw: unknown): OpenExampleOptions {
  if (typeof raw !== 'object' || raw === null) return {};
  const o = raw as Record<string, unknown>;
  return {
    then: typeof o.then === 'string' && Object.hasOwn(EXAMPLE_ACTIONS, o.then) ? o.then as ExampleAction : undefined,
    inputs: Array.isArray(o.inputs) && o.inputs.every((v) => typeof v === 'number' && Number.isFinite(v)) ? o.inputs as number[] : undefined,
    step: typeof o.step === 'string' && /^[a-zA-Z0-9]+$/.test(o.step) ? o.step : undefined,
    confirmed: o.confirmed === true,
  };
}

/** The folder the copies go into: the first workspace folder's, or one the user picks. */
async function examplesFolder(): Promise<vscode.Uri | undefined> {
  const ws = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (ws) return vscode.Uri.joinPath(ws, EXAMPLES_FOLDER);
  const picked = await vscode.window.showOpenDialog({
    title: 'Choose a folder for the lecture examples (they are copied there so you can edit and train them)',
    canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Copy Examples Here',
  });
  return picked?.[0] ? vscode.Uri.joinPath(picked[0], EXAMPLES_FOLDER) : undefined;
}

/** Opens the workspace copy of `name` (copying it first, with the user's OK); resolves with its uri. */
export async function openExample(extensionUri: vscode.Uri, nameArg?: unknown, rawOptions?: unknown): Promise<vscode.Uri | undefined> {
  const opts = options(rawOptions);
  const shipped = vscode.Uri.joinPath(extensionUri, 'examples');
  let name = nameArg;
  if (name === undefined) {
    const all = (await vscode.workspace.fs.readDirectory(shipped)).map(([n]) => n).filter((n) => n.endsWith('.nn')).sort();
    name = await vscode.window.showQuickPick(all, { title: 'Open Lecture Example', placeHolder: 'The example is copied into your workspace to edit and train' });
    if (name === undefined) return undefined;
  }
  if (!isExampleName(name) || !(await exists(vscode.Uri.joinPath(shipped, name)))) {
    void vscode.window.showErrorMessage(`There is no lecture example named ${JSON.stringify(String(name))}; the examples are listed by Neural Canvas: Open Lecture Example….`);
    return undefined;
  }
  const folder = await examplesFolder();
  if (!folder) return undefined;
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(shipped, name)));
  const wanted = [name, ...exampleDataFiles(text)];
  const missing = await filesToCopy(wanted, (f) => exists(vscode.Uri.joinPath(folder, f)));
  if (missing.length > 0) {
    const where = vscode.workspace.asRelativePath(folder);
    if (!opts.confirmed) {
      const answer = await vscode.window.showInformationMessage(
        `Copy ${missing.join(', ')} into ${where}/ so you can edit and train ${name}? The extension's own copy stays unchanged; files already there are not replaced.`,
        { modal: true }, 'Copy and Open');
      if (answer !== 'Copy and Open') return undefined;
    }
    for (const f of missing) {
      const source = vscode.Uri.joinPath(shipped, f);
      if (!(await exists(source))) continue; // data the user must add (say, MNIST's files): Train says what is missing
      const target = vscode.Uri.joinPath(folder, f);
      // Checked again right before writing: never replace a file that appeared meanwhile.
      if (await exists(target)) continue;
      await vscode.workspace.fs.writeFile(target, await vscode.workspace.fs.readFile(source));
    }
  }
  const uri = vscode.Uri.joinPath(folder, name);
  // From the walkthrough page (not an editor), the graph opens beside it so the steps stay in view.
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const fromEditor = input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom;
  await vscode.commands.executeCommand('vscode.openWith', uri, GRAPH_VIEW_TYPE, { viewColumn: fromEditor ? vscode.ViewColumn.Active : vscode.ViewColumn.Beside, preview: false });
  if (opts.then) {
    const args: unknown[] = [uri];
    if (opts.then === 'predict' && opts.inputs) args.push(opts.inputs);
    if (opts.then === 'export') args.push({ format: 'pytorch' });
    const result = await vscode.commands.executeCommand(EXAMPLE_ACTIONS[opts.then], ...args);
    if (opts.step && result !== undefined && result !== false) await vscode.commands.executeCommand('setContext', stepDoneKey(opts.step), true);
  }
  return uri;
}

/** Registers the command. */
export function registerOpenExample(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand(OPEN_EXAMPLE_COMMAND, (name?: unknown, opts?: unknown) => openExample(context.extensionUri, name, opts)));
}
