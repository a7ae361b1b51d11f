/**
 * The inspector with nothing selected: the design's training settings (data, loss, optimizer and
 * its parameters, epochs, batch size, L1/L2, validation split, early stopping, seed). Each
 * committed change is one setTrainingField intent, checked here by the parser's own rules
 * (src/model/trainingFields.ts) and again by the host; an emptied field removes the setting.
 */
import { DATASET_NAMES, GENERATOR_NAMES, LOSS_NAMES, OPTIMIZER_NAMES, type DataSpec, type NetworkDoc, type TrainingSpec } from '../../src/model/types';
import { dataChoices, TRAINING_DEFAULTS, trainingFieldProblem } from '../../src/model/trainingFields';
import type { CsvPreview, JsonValue } from '../../src/protocol';
import { custom, h } from './dom';
import { checkbox, dropdown, field, textField } from './inspectorFields';

/** What the settings ask the app to do. */
export interface SettingsActions {
  setTrainingField(path: string[], value: JsonValue | undefined): void;
  /** Ask the host for the CSV's header and first rows (answered by csvPreview). */
  previewCsv(path: string): void;
  /** "Add training data…" (`csvFile`: straight to picking a CSV file). */
  addTrainingData(csvFile?: boolean): void;
}

const fieldName = (path: string[]): string => `training-${path.join('-')}`;

/** A number setting: empty removes it (the placeholder shows the default), a value the format refuses shows why. */
function numberSetting(label: string, path: string[], value: number | undefined, placeholder: number | string | undefined, a: SettingsActions, showError: (m: string) => void, hint?: string): HTMLElement {
  const attrs: Record<string, string> = { inputmode: 'decimal' };
  if (placeholder !== undefined) attrs.placeholder = String(placeholder);
  return field(label, textField(fieldName(path), value === undefined ? '' : String(value), (typed) => {
    const v = typed === '' ? undefined : Number(typed);
    const problem = trainingFieldProblem(path, v === undefined || Number.isNaN(v) ? (typed === '' ? undefined : typed) : v);
    if (problem) showError(`${problem}.`);
    else a.setTrainingField(path, v);
  }, attrs), hint);
}

function flagSetting(label: string, text: string, path: string[], checked: boolean, a: SettingsActions): HTMLElement {
  // false is the default of every flag set here: unchecking removes it.
  return field(label, checkbox(fieldName(path), text, checked, (v) => a.setTrainingField(path, v ? true : undefined)));
}

function nameSetting(label: string, path: string[], names: readonly string[], current: string, a: SettingsActions, toValue: (v: string) => JsonValue | undefined = (v) => v): HTMLElement {
  return field(label, dropdown(fieldName(path), label, names, current, (v) => a.setTrainingField(path, toValue(v))));
}

const DATA_KINDS = ['generator', 'dataset', 'csv'] as const;
const KIND_TEXT: Record<string, string> = { generator: 'generator', dataset: 'data set', csv: 'CSV file', idx: 'IDX files', imageFolder: 'image folder' };

function kindOf(data: DataSpec): string {
  return 'generator' in data ? 'generator' : 'dataset' in data ? 'dataset' : 'csv' in data ? 'csv' : 'idx' in data ? 'idx' : 'imageFolder';
}

/** The CSV column picker: each column's role (feature, label, unused) over the header and first rows. */
function csvPicker(data: Extract<DataSpec, { csv: string }>, preview: CsvPreview | undefined, a: SettingsActions): HTMLElement {
  if (!preview || preview.path !== data.csv) return h('p', { class: 'hint', 'data-testid': 'csv-loading' }, 'Reading the columns…');
  if (preview.error) return h('p', { class: 'hint diag-error', 'data-testid': 'csv-error' }, preview.error);
  const labels = new Set(data.labels);
  const features = data.features ? new Set(data.features) : undefined;
  const roleOf = (c: string): string => (labels.has(c) ? 'label' : !features || features.has(c) ? 'feature' : 'unused');
  const setRole = (col: string, role: string): void => {
    const nextLabels = preview.header.filter((c) => (c === col ? role === 'label' : labels.has(c)));
    if (nextLabels.length === 0) return;
    const nextFeatures = preview.header.filter((c) => (c === col ? role === 'feature' : roleOf(c) === 'feature'));
    const value: Record<string, JsonValue> = { csv: data.csv, features: nextFeatures, labels: nextLabels };
    if (data.categorical) value.categorical = data.categorical;
    if (data.standardize !== undefined) value.standardize = data.standardize;
    a.setTrainingField(['data'], value);
  };
  const head = h('tr', {}, ...preview.header.map((c, i) => {
    const id = `nc-csv-role-${i}`;
    const select = h('select', { id, 'data-column': c }, ...['feature', 'label', 'unused'].map((r) => h('option', { value: r, selected: roleOf(c) === r }, r)));
    select.addEventListener('change', () => {
      if (select.value === roleOf(c)) return;
      if (roleOf(c) === 'label' && data.labels.length === 1) {
        select.value = 'label';
        return;
      }
      setRole(c, select.value);
    });
    return h('th', { class: `role-${roleOf(c)}` }, h('label', { for: id }, c), select);
  }));
  const rows = preview.rows.map((r) => h('tr', {}, ...preview.header.map((c, i) => h('td', { class: `role-${roleOf(c)}` }, r[i] ?? ''))));
  return h('div', { class: 'csv-picker', 'data-testid': 'csv-picker' },
    h('table', { 'aria-label': `Columns of ${data.csv}: first ${preview.rows.length} rows` }, h('thead', {}, head), h('tbody', {}, ...rows)),
    h('div', { class: 'hint' }, 'Each column is a feature (input), the label (what to predict) or unused.'));
}

function dataSection(doc: NetworkDoc, t: TrainingSpec | undefined, preview: CsvPreview | undefined, a: SettingsActions, showError: (m: string) => void): HTMLElement[] {
  const data = t?.data;
  if (!data) {
    const add = custom('vscode-button', { 'data-action': 'add-training-data' }, 'Add training data…');
    add.addEventListener('click', () => a.addTrainingData());
    return [h('p', { class: 'hint' }, 'No training data yet: this design cannot be trained.'), add];
  }
  const kind = kindOf(data);
  const out: HTMLElement[] = [];
  if (kind === 'idx' || kind === 'imageFolder') {
    const paths = 'idx' in data ? `${data.idx.images}, ${data.idx.labels}` : 'imageFolder' in data ? data.imageFolder : '';
    out.push(h('dl', { class: 'summary' }, h('dt', {}, 'Data'), h('dd', { 'data-testid': 'data-readonly' }, `${KIND_TEXT[kind]}: ${paths}`)));
    out.push(h('p', { class: 'hint' }, 'Image data is edited in the text editor.'));
    return out;
  }
  out.push(field('Data', dropdown(fieldName(['data', 'kind']), 'Kind of data', DATA_KINDS.map((k) => KIND_TEXT[k]), KIND_TEXT[kind], (v) => {
    const next = DATA_KINDS.find((k) => KIND_TEXT[k] === v);
    // The first generator or data set that fits the design's inputs (a spiral only for 2 features).
    const inputs = doc.nodes.filter((n) => n.type === 'input');
    const width = inputs.reduce((sum, n) => sum + (n.type === 'input' ? n.units : 0), 0);
    const image = inputs.some((n) => n.type === 'input' && (n.shape?.length ?? 0) > 1);
    const fits = dataChoices(width, image).map((c) => c.data).find((d) => d !== undefined && next !== undefined && next in d);
    if (next === 'generator') a.setTrainingField(['data'], (fits as JsonValue | undefined) ?? { generator: 'spiral' });
    else if (next === 'dataset') a.setTrainingField(['data'], (fits as JsonValue | undefined) ?? { dataset: 'interview' });
    else if (next === 'csv') a.addTrainingData(true);
  })));
  if ('generator' in data) {
    out.push(nameSetting('Generator', ['data', 'generator'], GENERATOR_NAMES, data.generator, a));
    out.push(numberSetting('Samples', ['data', 'samples'], data.samples, 500, a, showError));
    out.push(numberSetting('Noise', ['data', 'noise'], data.noise, 0, a, showError, 'standard deviation; the points lie in about [−1, 1]'));
    if (data.generator === 'spiral' || data.generator === 'gaussian') out.push(numberSetting('Classes', ['data', 'classes'], data.classes, 2, a, showError));
  } else if ('dataset' in data) {
    out.push(nameSetting('Data set', ['data', 'dataset'], DATASET_NAMES, data.dataset, a));
  } else if ('csv' in data) {
    out.push(field('CSV file', textField(fieldName(['data', 'csv']), data.csv, (v) => {
      const problem = v === '' ? 'the CSV path cannot be empty' : undefined;
      if (problem) showError(`${problem}.`);
      else a.setTrainingField(['data', 'csv'], v);
    }), 'relative to this .nn file'));
    out.push(csvPicker(data, preview, a));
  }
  return out;
}

/** The settings section (headings and fields) for the design's `training`. */
export function settingsInspector(doc: NetworkDoc, preview: CsvPreview | undefined, a: SettingsActions, showError: (m: string) => void): HTMLElement {
  const t = doc.training;
  const o = t?.optimizer;
  const type = o?.type ?? TRAINING_DEFAULTS.optimizer;
  const num = (label: string, path: string[], value: number | undefined, placeholder: number | string | undefined, hint?: string): HTMLElement =>
    numberSetting(label, path, value, placeholder, a, showError, hint);
  const parts: HTMLElement[] = [h('h2', { id: 'settings-heading' }, 'Training'), ...dataSection(doc, t, preview, a, showError)];
  parts.push(nameSetting('Loss', ['loss'], ['from the data', ...LOSS_NAMES], t?.loss ?? 'from the data', a, (v) => (v === 'from the data' ? undefined : v)));
  parts.push(h('h3', {}, 'Optimizer'));
  parts.push(nameSetting('Type', ['optimizer', 'type'], OPTIMIZER_NAMES, type, a));
  parts.push(num('Learning rate', ['optimizer', 'learningRate'], o?.learningRate, TRAINING_DEFAULTS.learningRate[type]));
  if (type === 'sgd') {
    parts.push(num('Momentum', ['optimizer', 'momentum'], o?.momentum, TRAINING_DEFAULTS.momentum));
    parts.push(flagSetting('Nesterov', 'Nesterov momentum', ['optimizer', 'nesterov'], o?.nesterov === true, a));
  } else if (type === 'adam') {
    parts.push(num('Beta 1', ['optimizer', 'beta1'], o?.beta1, TRAINING_DEFAULTS.beta1));
    parts.push(num('Beta 2', ['optimizer', 'beta2'], o?.beta2, TRAINING_DEFAULTS.beta2));
  } else {
    parts.push(num('Rho', ['optimizer', 'rho'], o?.rho, TRAINING_DEFAULTS.rho));
  }
  if (type !== 'sgd') parts.push(num('Epsilon', ['optimizer', 'epsilon'], o?.epsilon, TRAINING_DEFAULTS.epsilon));
  parts.push(h('h3', {}, 'Run'));
  parts.push(num('Epochs', ['epochs'], t?.epochs, TRAINING_DEFAULTS.epochs));
  parts.push(num('Batch size', ['batchSize'], t?.batchSize, TRAINING_DEFAULTS.batchSize));
  parts.push(num('Validation split', ['validationSplit'], t?.validationSplit, TRAINING_DEFAULTS.validationSplit, 'fraction held out, e.g. 0.2'));
  parts.push(num('L1', ['l1'], t?.l1, TRAINING_DEFAULTS.l1));
  parts.push(num('L2', ['l2'], t?.l2, TRAINING_DEFAULTS.l2));
  parts.push(num('Seed', ['seed'], t?.seed, TRAINING_DEFAULTS.seed));
  parts.push(h('h3', {}, 'Early stopping'));
  const es = t?.earlyStopping;
  parts.push(field('Stop early', checkbox(fieldName(['earlyStopping']), 'Stop when the loss stops improving', es !== undefined, (on) =>
    a.setTrainingField(['earlyStopping'], on ? { patience: TRAINING_DEFAULTS.patience } : undefined))));
  if (es) {
    parts.push(num('Patience', ['earlyStopping', 'patience'], es.patience, undefined, 'epochs without improvement'));
    parts.push(nameSetting('Monitor', ['earlyStopping', 'monitor'], ['val_loss', 'loss'], es.monitor ?? 'val_loss', a, (v) => (v === 'val_loss' ? undefined : v)));
    parts.push(num('Min delta', ['earlyStopping', 'minDelta'], es.minDelta, TRAINING_DEFAULTS.minDelta));
    parts.push(flagSetting('Restore', 'Keep the best epoch\'s weights', ['earlyStopping', 'restoreBestWeights'], es.restoreBestWeights === true, a));
  }
  return h('section', { class: 'settings', 'aria-labelledby': 'settings-heading', 'data-testid': 'training-settings' }, ...parts);
}
