/**
 * Hostile strings a `.nn` file may carry in ids, labels, names and paths: every name of
 * Object.prototype, and text that would become code if an exporter pasted it into a script
 * unescaped. Each code payload calls MARKER() in code position, so a generated script that
 * contains MARKER as a Python name (outside strings and comments) has been injected.
 */

/** The name injected code would call; never a node id on its own. */
export const MARKER = 'PWNED';

/** Every own property name of Object.prototype, plus `prototype`. */
export const PROTO_NAMES: readonly string[] = [...Object.getOwnPropertyNames(Object.prototype), 'prototype'];

/** Strings that end a Python/JS string, comment or docstring and then run MARKER(). */
export const CODE_PAYLOADS: readonly string[] = [
  `x\n${MARKER}()\n`,
  `x\r\n${MARKER}()#`,
  `"\n${MARKER}()\n"`,
  `'\n${MARKER}()\n'`,
  `"""\n${MARKER}()\n"""`,
  `'''\n${MARKER}()\n'''`,
  `\\\n${MARKER}()`,
  `*/\n${MARKER}()\n/*`,
  `#\n${MARKER}()`,
  `x"); ${MARKER}(); ("`,
  `x'); ${MARKER}(); ('`,
  `x\u2028${MARKER}()\u2029`,
  `x\u0085${MARKER}()`,
  `{${MARKER}()}`,
  `\x00\n${MARKER}()`,
];

/** Other awkward text: non-ASCII, controls, escapes, very long. */
export const ODD_TEXT: readonly string[] = [
  'Gewicht (kg) – höhe', '層', '😀 emoji', 'a\tb', 'a\\b', 'a"b', "a'b", '\u001b[31mred\u001b[0m', '', ' ', '#', '*/', '"""',
  '\ud800', 'x'.repeat(300), 'Ωmega', 'تعلم', 'NaN', 'undefined', 'null', 'None', 'True', '__init__', 'self',
];

/** Ids that pass or nearly pass the id rule but collide with something: keywords, reserved names, digits first. */
export const AWKWARD_IDS: readonly string[] = [
  'forward', 'self', 'class', 'import', 'None', 'input', 'torch', 'nn', 'F', 'keras', 'layers', 'print', '1x', '2', '_', '-', '--',
  'a-b', 'a_b', '__init__', '__dict__', 'training', 'state_dict', 'id', 'type', 'model', 'x', 'X', 'n_1x', 'n-1x', 'ä', 'a b', 'a.b', 'a/b',
];

/** Any hostile string. */
export const HOSTILE: readonly string[] = [...PROTO_NAMES, ...CODE_PAYLOADS, ...ODD_TEXT, ...AWKWARD_IDS];
