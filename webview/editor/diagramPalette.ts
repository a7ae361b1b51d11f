/**
 * The fixed colours of exported diagrams: a light and a dark palette of the theme variables the
 * graph's CSS uses, so an export looks the same whatever theme the editor has. "transparent" is
 * the light palette without a background, edges a shade darker (dark text in opaque node boxes,
 * edge labels with a white halo: readable on a light or a dark page). Pure: no DOM.
 */
import type { DiagramTheme } from '../../src/protocol';

/** The colours of one fixed theme. */
export interface DiagramPalette {
  /** The page behind the graph; undefined: transparent. */
  background: string | undefined;
  /** Values of `--vscode-*` variables as graph.css reads them. */
  vars: Readonly<Record<string, string>>;
}

/** Light+ colours. */
const LIGHT_VARS: Record<string, string> = {
  '--vscode-editor-background': '#ffffff',
  '--vscode-editor-foreground': '#1f1f1f',
  '--vscode-editorWidget-background': '#f3f3f3',
  '--vscode-editorWidget-border': '#c8c8c8',
  '--vscode-contrastBorder': '#c8c8c8',
  '--vscode-descriptionForeground': '#616161',
  '--vscode-editorLineNumber-foreground': '#8a8a8a',
  '--vscode-focusBorder': '#005fb8',
  '--vscode-list-activeSelectionBackground': '#e8e8e8',
  '--vscode-errorForeground': '#e51400',
  '--vscode-editorWarning-foreground': '#bf8803',
  '--vscode-editorInfo-foreground': '#1a85ff',
  '--vscode-charts-blue': '#1a85ff',
  '--vscode-charts-green': '#388a34',
  '--vscode-charts-purple': '#652d90',
  '--vscode-charts-yellow': '#bf8803',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-foreground': '#616161',
};

/** Dark+ colours. */
const DARK_VARS: Record<string, string> = {
  '--vscode-editor-background': '#1e1e1e',
  '--vscode-editor-foreground': '#d4d4d4',
  '--vscode-editorWidget-background': '#252526',
  '--vscode-editorWidget-border': '#454545',
  '--vscode-contrastBorder': '#454545',
  '--vscode-descriptionForeground': '#a0a0a0',
  '--vscode-editorLineNumber-foreground': '#858585',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-list-activeSelectionBackground': '#04395e',
  '--vscode-errorForeground': '#f85149',
  '--vscode-editorWarning-foreground': '#cca700',
  '--vscode-editorInfo-foreground': '#3794ff',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-foreground': '#cccccc',
};

/** The palette of each fixed theme ("current" has none: it reads the editor's variables). */
export const DIAGRAM_PALETTES: Readonly<Record<Exclude<DiagramTheme, 'current'>, DiagramPalette>> = {
  light: { background: LIGHT_VARS['--vscode-editor-background'], vars: LIGHT_VARS },
  dark: { background: DARK_VARS['--vscode-editor-background'], vars: DARK_VARS },
  // Edges and muted text a shade darker than on white: they must also read on a grey page.
  transparent: { background: undefined, vars: { ...LIGHT_VARS, '--vscode-editorLineNumber-foreground': '#6b6b6b', '--vscode-descriptionForeground': '#555555' } },
};

