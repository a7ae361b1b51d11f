/** checkNetwork (parse + validate + analyze in one call) and the one-line diagnostic format. */
import type { Diagnostic } from './types';
import { parseNetwork, type ParsedNetwork } from './parse';
import { validateNetwork } from './validate';
import { analyzeNetwork, type NetworkAnalysis } from './analyze';
import { escapeControls } from './textSafety';

/** Diagnostics sorted by position, then severity (errors first). */
function sorted(list: Diagnostic[]): Diagnostic[] {
  const rank = { error: 0, warning: 1, info: 2 };
  return [...list].sort((a, b) => a.range.offset - b.range.offset || rank[a.severity] - rank[b.severity]);
}

/** Parses, validates and (when there are no errors) analyses a `.nn` text. Never throws. */
export function checkNetwork(text: string): { parsed: ParsedNetwork; diagnostics: Diagnostic[]; analysis?: NetworkAnalysis } {
  const parsed = parseNetwork(text);
  const diagnostics = sorted([...parsed.diagnostics, ...validateNetwork(parsed)]);
  const ok = parsed.doc && !diagnostics.some((d) => d.severity === 'error');
  return { parsed, diagnostics, analysis: ok && parsed.doc ? analyzeNetwork(parsed.doc) : undefined };
}

/**
 * `file:line:col: severity: message [code]`, with 1-based line and column: one line, for a
 * terminal, so control characters from the file (ESC in a field name, a newline in an id) are
 * written as escapes.
 */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  return escapeControls(`${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`);
}
