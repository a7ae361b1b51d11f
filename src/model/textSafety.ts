/**
 * Text from a file, made safe for where it goes: a UTF-8 byte order mark read as JSON
 * whitespace, and control characters written as escapes before they reach a terminal.
 */

/** The byte order mark some editors put at the start of a UTF-8 file. */
export const BOM = '\uFEFF';

/**
 * The text for the JSON parser: a leading byte order mark becomes a space, so the file parses
 * as VS Code shows it and every offset still points at the same character of the original.
 */
export function jsonText(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
}

/**
 * Characters a terminal may act on instead of print: C0 and C1 controls (ESC starts a terminal
 * command), DEL, line and paragraph separators, and the bidirectional overrides that make text
 * read differently from what it is.
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NON_C0_CONTROLS = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `s` with every control character written as an escape (`\n`, `\u001b`), everything else as is. */
export function escapeControls(s: string): string {
  return s.replace(CONTROLS, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** JSON text with the same characters escaped the JSON way (still valid JSON, same value). */
export function escapeControlsInJson(json: string): string {
  // JSON.stringify already escapes C0 controls inside strings (and outside them, \n is layout);
  // the others are legal raw in JSON strings.
  return json.replace(NON_C0_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
