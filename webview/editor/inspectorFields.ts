/**
 * The inspector's controls (webview UI toolkit): a labelled field, a text field that commits on
 * change, a number field and a window-size field checked by the model's field rules, a dropdown
 * and a checkbox. Each commits one value; the inspector turns it into one setProperty intent.
 */
import { fitsNodeProperty, kindText, nodePropertyKind, numberTyped } from '../../src/model/fieldRules';
import type { Size2D } from '../../src/model/types';
import { custom, h } from './dom';

/**
 * A label, its control and an optional hint. The label really labels the control, so a screen
 * reader says its name: a text field shows it in its own label slot (a `<label for>` around the
 * input inside the component); a dropdown or checkbox (form-associated elements) gets a
 * `<label for>` beside it (and keeps its own aria-label or text).
 */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const name = control.getAttribute('data-field') ?? label.toLowerCase();
  const id = `nc-field-${name}`;
  control.id = id;
  let labelEl: HTMLElement[];
  if (control.tagName.toLowerCase() === 'vscode-text-field') {
    // aria-label would win over the label; the visible label is the name.
    control.removeAttribute('aria-label');
    control.prepend(label);
    labelEl = [];
  } else {
    labelEl = [h('label', { for: id }, label)];
  }
  const hintEl = hint ? [h('div', { class: 'hint', id: `${id}-hint` }, hint)] : [];
  return h('div', { class: 'field' }, ...labelEl, control, ...hintEl);
}

/** A text field that calls `onCommit` with the trimmed text when it changed. */
export function textField(name: string, value: string, onCommit: (v: string) => void, attrs: Record<string, string> = {}): HTMLElement {
  const f = custom('vscode-text-field', { 'data-field': name, 'aria-label': name, value, ...attrs });
  (f as HTMLInputElement).value = value;
  f.addEventListener('change', () => {
    const v = ((f as HTMLInputElement).value ?? '').trim();
    if (v !== value) onCommit(v);
  });
  return f;
}

/** What property `key` accepts, in words ("a number ≥ 0"). */
export function ruleOf(key: string): string {
  const kind = nodePropertyKind(key);
  return kind ? kindText(kind) : 'a value';
}

/** A number field for property `key`: empty commits undefined, a value the format refuses shows why. */
export function numberField(name: string, value: number | undefined, onCommit: (v: number | undefined) => void, showError: (m: string) => void, attrs: Record<string, string> = {}): HTMLElement {
  return textField(name, value === undefined ? '' : String(value), (v) => {
    if (v === '') return onCommit(undefined);
    const n = numberTyped(name, v);
    if (n === undefined) showError(`${v} is not valid for ${name}: ${ruleOf(name)}.`);
    else onCommit(n);
  }, { inputmode: 'decimal', ...attrs });
}

/** A window size or shape as shown in a field: 3 → "3", [3, 5] → "3×5". */
export function listText(v: Size2D | readonly number[] | undefined): string {
  if (v === undefined) return '';
  return typeof v === 'number' ? String(v) : v.join('×');
}

/** The numbers typed into a size or shape field ("3", "3×5", "3x5", "3, 5", "[28, 28, 1]"), or undefined when not numbers. */
export function numbersTyped(typed: string): number[] | undefined {
  const t = typed.trim().replace(/^\[(.*)\]$/, '$1').trim();
  if (t === '') return undefined;
  const parts = t.split(/\s*(?:[×xX*,]|\s)\s*/);
  const nums = parts.map((p) => (p === '' ? Number.NaN : Number(p)));
  return nums.every((n) => Number.isFinite(n)) ? nums : undefined;
}

/**
 * A field for a list-valued property (`kernelSize`, `poolSize`, `strides`: one number or two;
 * `shape`: a list). What the user typed is written as typed: one number stays a number.
 */
export function listField(name: string, value: Size2D | readonly number[] | undefined, onCommit: (v: Size2D | number[] | undefined) => void, showError: (m: string) => void, attrs: Record<string, string> = {}): HTMLElement {
  const isShape = name === 'shape';
  return textField(name, listText(value), (v) => {
    if (v === '') return onCommit(undefined);
    const nums = numbersTyped(v);
    const typed = nums && (nums.length === 1 && !isShape ? nums[0] : nums);
    if (typed === undefined || !fitsNodeProperty(name, typed)) showError(`${v} is not valid for ${name}: ${ruleOf(name)}.`);
    else onCommit(typed as Size2D | number[]);
  }, attrs);
}

/** A dropdown of `names`; commits the chosen one when it differs from `current`. */
export function dropdown(name: string, label: string, names: readonly string[], current: string, onCommit: (v: string) => void): HTMLElement {
  const dd = custom('vscode-dropdown', { 'data-field': name, 'aria-label': label });
  for (const a of names) dd.append(custom('vscode-option', { value: a, selected: a === current }, a));
  dd.addEventListener('change', () => {
    const v = (dd as HTMLSelectElement).value;
    if (v && v !== current) onCommit(v);
  });
  return dd;
}

/** A checkbox; commits the new state when it differs from `checked`. */
export function checkbox(name: string, label: string, checked: boolean, onCommit: (v: boolean) => void): HTMLElement {
  const cb = custom('vscode-checkbox', { 'data-field': name, checked }, label);
  cb.addEventListener('change', () => {
    const now = (cb as HTMLInputElement).checked;
    if (now !== checked) onCommit(now);
  });
  return cb;
}
