/**
 * Line numbers for papaparse's `step` callback: papaparse reports where a record ends (a
 * character offset), not on which line it began. A counter fed each record's end offset answers
 * the line the record started on, counting \n, \r\n and a lone \r (old Mac exports) as one break,
 * and the blank lines papaparse skipped in between.
 */
export function csvLineCounter(text: string): (recordEnd: number) => number {
  let line = 1;
  let cursor = 0;
  return (recordEnd) => {
    const start = line;
    let end = recordEnd;
    if (text.charCodeAt(end) === 13) end++;
    if (text.charCodeAt(end) === 10) end++;
    for (let i = cursor; i < end && i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
    }
    cursor = Math.max(cursor, end);
    return start;
  };
}
