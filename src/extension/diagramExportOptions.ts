/**
 * The choices of "Export Diagram as SVG / PNG": the colour theme (offered as a quick pick, the one
 * used last in this workspace first; or given as a command argument by tests, scripts and the
 * walkthrough) and where the file goes. Pure: no vscode, no file system.
 */
import * as path from 'node:path';
import { DIAGRAM_THEMES } from '../protocol';
import type { DiagramTheme } from '../protocol';

/** Where the theme used last is remembered (workspace state). */
export const DIAGRAM_THEME_KEY = 'neuralCanvas.diagramTheme';

export type DiagramFormat = 'svg' | 'png';

/** What a caller may pass as the command's second argument to skip the prompts. */
export interface DiagramExportOptions {
  theme?: DiagramTheme;
  /** The file to write, or a folder to write `<name>.<format>` into; relative to the .nn file's folder. */
  out?: string;
  /** Replace an existing file without asking (scripts only; a user is asked). */
  force?: boolean;
}

const THEME_ITEMS: Record<DiagramTheme, { label: string; detail: string }> = {
  light: { label: 'Light', detail: 'Dark text on white, whatever your editor theme' },
  dark: { label: 'Dark', detail: 'Light text on a dark background, whatever your editor theme' },
  transparent: { label: 'Transparent', detail: 'The light colours on no background: for slides and pages of any colour' },
  current: { label: 'Current editor theme', detail: 'The colours your editor shows now' },
};

/** Whether `v` names a diagram theme. */
export function isDiagramTheme(v: unknown): v is DiagramTheme {
  return typeof v === 'string' && (DIAGRAM_THEMES as readonly string[]).includes(v);
}

/** The theme remembered for this workspace (anything unreadable: light). */
export function rememberedTheme(v: unknown): DiagramTheme {
  return isDiagramTheme(v) ? v : 'light';
}

/** The quick pick's items: every theme, the remembered one first and marked. */
export function themePickItems(remembered: DiagramTheme): { label: string; description?: string; detail: string; theme: DiagramTheme }[] {
  const order = [remembered, ...DIAGRAM_THEMES.filter((t) => t !== remembered)];
  return order.map((theme) => ({ ...THEME_ITEMS[theme], ...(theme === remembered ? { description: 'last used' } : {}), theme }));
}

/**
 * Reads the command's options argument (untrusted: from other extensions, keybindings, tests).
 * Keys it does not know are ignored (menus pass their own context objects); a known key with a
 * wrong value is a problem, worded for the user.
 */
export function readDiagramOptions(raw: unknown): { options: DiagramExportOptions } | { problem: string } {
  if (raw === undefined || raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { options: {} };
  const o = raw as Record<string, unknown>;
  const options: DiagramExportOptions = {};
  if (o.theme !== undefined) {
    if (!isDiagramTheme(o.theme)) return { problem: `"theme" must be one of ${DIAGRAM_THEMES.join(', ')}, got ${JSON.stringify(o.theme)}.` };
    options.theme = o.theme;
  }
  if (o.out !== undefined) {
    if (typeof o.out !== 'string' || o.out.trim() === '') return { problem: '"out" must be the path of the file (or folder) to write.' };
    options.out = o.out;
  }
  if (o.force !== undefined) {
    if (typeof o.force !== 'boolean') return { problem: '"force" must be true or false.' };
    options.force = o.force;
  }
  return { options };
}

/** `name.svg` / `name.png` for `name.nn`. */
export function defaultDiagramName(nnFile: string, format: DiagramFormat): string {
  return `${path.basename(nnFile).replace(/\.nn$/i, '')}.${format}`;
}

/** The absolute path an `out` option names (relative paths from the .nn file's folder). */
export function resolveOut(nnFile: string, out: string): string {
  return path.resolve(path.dirname(nnFile), out);
}

/**
 * The file an `out` option names: a folder (`isFolder`, known from the file system) gets the
 * default name; a file must have the format's extension.
 */
export function diagramTarget(nnFile: string, format: DiagramFormat, out: string, isFolder: boolean): { file: string } | { problem: string } {
  const resolved = resolveOut(nnFile, out);
  if (isFolder) return { file: path.join(resolved, defaultDiagramName(nnFile, format)) };
  if (path.extname(resolved).toLowerCase() !== `.${format}`) {
    return { problem: `"out" must end in .${format} for ${format === 'svg' ? 'an SVG' : 'a PNG'} export (or name a folder), got ${out}.` };
  }
  return { file: resolved };
}
