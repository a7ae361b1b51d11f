import type { Position, TextRange } from './types';

/** Turns offsets into 0-based line/character positions (VS Code's convention) for one text. */
export class LineIndex {
  private readonly starts: number[] = [0];
  /** 1 when the text starts with a byte order mark, which no editor shows as a column. */
  private readonly bom: number;

  constructor(readonly text: string) {
    this.bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      // \r\n counts as one line break; a lone \r too, as VS Code does.
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  /** The position of `offset`, clamped into the text. */
  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    // Columns of the first line are counted after a byte order mark, as editors show them.
    return { line: lo, character: lo === 0 ? Math.max(0, o - this.bom) : o - this.starts[lo] };
  }

  /** A range of `length` characters at `offset`, clamped so it always lies inside the text. */
  range(offset: number, length: number): TextRange {
    const start = Math.max(0, Math.min(offset, this.text.length));
    const end = Math.max(start, Math.min(start + Math.max(0, length), this.text.length));
    return { offset: start, length: end - start, start: this.position(start), end: this.position(end) };
  }
}
