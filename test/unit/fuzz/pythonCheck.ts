/**
 * A tokenizer-lite for generated Python: finds names in code position (outside strings and
 * comments, inside f-string replacement fields) and strings left open. Enough to tell whether
 * text from a `.nn` file escaped its string literal; the exact check (Python's own ast) runs in
 * a slower test on a few hundred scripts.
 */

/** What is wrong with a generated script, or undefined. `marker` is a name injected code would use. */
export function pythonProblem(src: string, marker: string): string | undefined {
  const nul = src.indexOf('\u0000');
  if (nul >= 0) return `a NUL character at offset ${nul} (Python refuses the file)`;
  return scan(src, 0, src.length, marker);
}

const PREFIX = /^(?:[rRuUbBfF]|[rR][bBfF]|[bBfF][rR])$/;

function isIdent(c: string): boolean {
  const k = c.charCodeAt(0);
  return (k >= 97 && k <= 122) || (k >= 65 && k <= 90) || (k >= 48 && k <= 57) || k === 95 || k > 127;
}

function lineOf(src: string, at: number): string {
  const start = src.lastIndexOf('\n', at - 1) + 1;
  const end = src.indexOf('\n', at);
  return `line ${src.slice(0, at).split('\n').length}: ${src.slice(start, end < 0 ? undefined : end).slice(0, 160)}`;
}

function scan(src: string, from: number, to: number, marker: string): string | undefined {
  let i = from;
  while (i < to) {
    const c = src[i];
    if (c === '#') {
      while (i < to && src[i] !== '\n' && src[i] !== '\r') i++;
      continue;
    }
    let prefix = '';
    if (isIdent(c)) {
      const start = i;
      while (i < to && isIdent(src[i])) i++;
      const word = src.slice(start, i);
      if (i < to && (src[i] === '"' || src[i] === "'") && PREFIX.test(word)) prefix = word;
      else {
        if (word === marker) return `${marker} in code at ${lineOf(src, start)}`;
        continue;
      }
    }
    if (src[i] === '"' || src[i] === "'") {
      const r = stringEnd(src, i, to, prefix, marker);
      if (typeof r === 'string') return r;
      i = r;
      continue;
    }
    i++;
  }
  return undefined;
}

/** The offset after the string literal starting at `at` (its quote), or a problem. */
function stringEnd(src: string, at: number, to: number, prefix: string, marker: string): number | string {
  const q = src[at];
  const triple = src.startsWith(q.repeat(3), at);
  const close = triple ? q.repeat(3) : q;
  const f = /[fF]/.test(prefix);
  let i = at + close.length;
  while (i < to) {
    const c = src[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (!triple && (c === '\n' || c === '\r')) return `a string left open at ${lineOf(src, at)}`;
    if (src.startsWith(close, i)) return i + close.length;
    if (f && c === '{') {
      if (src[i + 1] === '{') {
        i += 2;
        continue;
      }
      // A replacement field: code up to the matching brace.
      let depth = 1;
      let j = i + 1;
      while (j < to && depth > 0) {
        if (src[j] === '{') depth++;
        else if (src[j] === '}') depth--;
        j++;
      }
      const inner = scan(src, i + 1, j - 1, marker);
      if (inner) return inner;
      i = j;
      continue;
    }
    i++;
  }
  return `a string left open at ${lineOf(src, at)}`;
}
