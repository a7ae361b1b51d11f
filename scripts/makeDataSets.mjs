// Writes the shipped data sets in data/ (run once: `node scripts/makeDataSets.mjs`; the CSVs are
// committed). Iris and the 8×8 digits come from Debian's python3-sklearn package (BSD-3-Clause),
// rewritten with a header row and the label as the last column so our CSV loader reads them
// with its defaults; the interview table is the 21 rows printed in the lecture.
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const sk = process.env.SKLEARN_DATA ?? '/usr/lib/python3/dist-packages/sklearn/datasets/data';
const out = new URL('../data/', import.meta.url);

// iris.csv: first line "150,4,setosa,versicolor,virginica", then 4 measurements and a class index.
{
  const [head, ...rows] = readFileSync(`${sk}/iris.csv`, 'utf8').trim().split(/\r?\n/);
  const classes = head.split(',').slice(2);
  const lines = rows.map((r) => {
    const v = r.split(',');
    return [...v.slice(0, 4), classes[Number(v[4])]].join(',');
  });
  if (lines.length !== 150) throw new Error(`iris: expected 150 rows, got ${lines.length}`);
  writeFileSync(new URL('iris.csv', out), ['sepal_length,sepal_width,petal_length,petal_width,species', ...lines].join('\n') + '\n');
}

// digits.csv: 64 pixel intensities (0–16, row by row) and the digit, no header.
{
  const rows = gunzipSync(readFileSync(`${sk}/digits.csv.gz`)).toString('utf8').trim().split(/\r?\n/);
  const lines = rows.map((r) => r.split(',').map((v) => String(Math.round(Number(v)))).join(','));
  if (lines.length !== 1797 || lines.some((l) => l.split(',').length !== 65)) throw new Error('digits: expected 1797 rows of 65 values');
  const header = [];
  for (let r = 0; r < 8; r++) for (let c = 0; c < 8; c++) header.push(`pixel_${r}_${c}`);
  header.push('digit');
  writeFileSync(new URL('digits.csv', out), [header.join(','), ...lines].join('\n') + '\n');
}

// interview.csv: the lecture's printed rows (17–24 were elided there), label last.
{
  const printed = [
    [0, 3.27, 1.93], [0, 3.37, 0.07], [0, 3.57, 1.91], [0, 3.91, 4.35], [0, 3.20, 1.70], [1, 3.90, 2.41],
    [1, 3.94, 3.00], [0, 3.66, 2.47], [0, 3.63, 0.93], [0, 3.06, 4.14], [0, 3.21, 3.34], [0, 3.18, 3.97],
    [0, 3.69, 0.54], [0, 3.38, 3.62], [1, 3.77, 2.06], [0, 3.50, 4.10], [1, 3.31, 3.46], [0, 3.78, 0.29],
    [0, 3.87, 1.21], [0, 4.00, 0.49], [1, 3.87, 2.11],
  ];
  const lines = printed.map(([i, gpa, exp]) => `${gpa.toFixed(2)},${exp.toFixed(2)},${i}`);
  writeFileSync(new URL('interview.csv', out), ['GPA,Experience,Interview', ...lines].join('\n') + '\n');
}
console.log('wrote data/iris.csv, data/digits.csv, data/interview.csv');
