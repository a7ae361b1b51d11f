/**
 * Restoring a past run's settings: the `training` section is made equal to the one the run used,
 * changing only the settings that differ (each through the same edit as the settings inspector's,
 * so comments and formatting elsewhere stay). The caller turns the result into one minimal
 * replacement (one undo step). Pure.
 */
import { parse } from 'jsonc-parser';
import { checkNetwork } from './check';
import { ModelEditError, setTrainingProperty } from './edits';
import { applyTextEdits } from './textEdits';
import { jsonText } from './textSafety';

type Json = Record<string, unknown>;

const isPlain = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The `training` section of a file as JSON (comments dropped); undefined when the file has none or cannot be read. */
export function trainingSectionOf(text: string): Json | undefined {
  const root: unknown = parse(jsonText(text), [], { allowTrailingComma: true, disallowComments: false });
  return isPlain(root) && isPlain(root.training) ? root.training : undefined;
}

/**
 * The text with its `training` section made equal to `training` (the text itself when it already
 * is). Throws ModelEditError, changing nothing, when the settings would give the design an error
 * it does not have now (a run of another version of the design: other inputs, another output).
 */
export function restoreTrainingText(text: string, training: Json): string {
  const out = withTraining(text, training);
  if (out === text) return text;
  const errors = (t: string): string[] => checkNetwork(t).diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
  const before = new Set(errors(text));
  const added = errors(out).filter((m) => !before.has(m));
  if (added.length) throw new ModelEditError(`The settings of that run do not fit the design as it is now: ${added[0]}. Nothing was changed.`);
  return out;
}

function withTraining(text: string, training: Json): string {
  let out = text;
  const set = (path: string[], value: unknown): void => {
    out = applyTextEdits(out, setTrainingProperty(out, path, value));
  };
  const walk = (current: Json, wanted: Json, at: string[]): void => {
    for (const key of Object.keys(current)) if (!Object.hasOwn(wanted, key)) set([...at, key], undefined);
    for (const [key, value] of Object.entries(wanted)) {
      const was = Object.hasOwn(current, key) ? current[key] : undefined;
      if (isPlain(was) && isPlain(value)) walk(was, value, [...at, key]);
      else if (JSON.stringify(was) !== JSON.stringify(value)) set([...at, key], value);
    }
  };
  walk(trainingSectionOf(text) ?? {}, training, []);
  return out;
}

/** The settings that differ between two training sections, as "optimizer.learningRate: 0.03 → 0.01" lines (for the restore button's tooltip). */
export function trainingDifferences(current: Json, wanted: Json): string[] {
  const out: string[] = [];
  const shown = (v: unknown): string => (v === undefined ? '(not set)' : JSON.stringify(v));
  const walk = (a: Json, b: Json, at: string): void => {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const x = Object.hasOwn(a, key) ? a[key] : undefined;
      const y = Object.hasOwn(b, key) ? b[key] : undefined;
      if (isPlain(x) && isPlain(y)) walk(x, y, `${at}${key}.`);
      else if (JSON.stringify(x) !== JSON.stringify(y)) out.push(`${at}${key}: ${shown(x)} → ${shown(y)}`);
    }
  };
  walk(current, wanted, '');
  return out;
}
