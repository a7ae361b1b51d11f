import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataError, loadCsvFile, loadData, parseCsvData, splitData } from '../../../../src/engine/data';

/** The lecture's structured-data table, as a spreadsheet would export it. */
const CARDIAC = `Age,Smoker,Exercise,Cholesterol,Family History,Blood Pressure,Cardiac Arrest
30,No,120,190,Yes,120/80,No
45,Yes,30,220,No,130/90,Yes
50,No,60,210,Yes,125/85,No
35,Yes,45,230,No,135/88,Yes
40,No,150,180,Yes,118/78,No
55,Yes,10,240,Yes,140/92,Yes
28,No,180,170,No,115/75,No
60,Yes,20,250,Yes,145/95,Yes
48,No,90,200,No,128/82,No
53,Yes,35,235,Yes,133/89,Yes
`;

const GRADES = `GPA,Experience,Interview
3.27,1.93,0
3.37,0.07,0
3.57,1.91,0
3.91,4.35,0
3.20,1.70,0
abc,2.41,1
3.94,3.00,1
`;

/** Asserts that parsing throws a DataError with exactly this message. */
function fails(text: string, message: string, opts: Parameters<typeof parseCsvData>[2] = {}): void {
  assert.throws(() => parseCsvData(text, 'data.csv', opts), (e: unknown) => {
    assert.ok(e instanceof DataError, String(e));
    assert.equal(e.message, message);
    return true;
  });
}

describe('CSV data', () => {
  it('encodes the lecture cardiac table: yes/no → 0/1, "120/80" → two numbers, last column the binary label', () => {
    const ds = parseCsvData(CARDIAC, 'cardiac.csv', {});
    assert.deepEqual(ds.featureNames, ['Age', 'Smoker', 'Exercise', 'Cholesterol', 'Family History', 'Blood Pressure_1', 'Blood Pressure_2']);
    assert.equal(ds.task, 'binary');
    assert.deepEqual(ds.labelNames, ['Cardiac Arrest']);
    assert.equal(ds.count, 10);
    assert.deepEqual(Array.from(ds.x.subarray(0, 7)), [30, 0, 120, 190, 1, 120, 80]);
    assert.deepEqual(Array.from(ds.x.subarray(7, 14)), [45, 1, 30, 220, 0, 130, 90]);
    assert.deepEqual(Array.from(ds.y), [0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    // numbers are standardised, 0/1 columns are left alone
    assert.deepEqual(ds.standardize, [true, false, true, true, false, true, true]);
  });

  it('standardisation of CSV features happens in splitData, on the training rows only', () => {
    const ds = parseCsvData(CARDIAC, 'cardiac.csv', {});
    const { train, standardizer } = splitData(ds, 0.2, { seed: 1, shuffle: false });
    assert.ok(standardizer);
    const ages = [30, 45, 50, 35, 40, 55, 28, 60];
    assert.ok(Math.abs(standardizer.mean[0] - ages.reduce((a, b) => a + b) / 8) < 1e-9);
    assert.equal(standardizer.std[1], 1);
    assert.equal(train.x[1], 0); // Smoker 'No' stays 0
    assert.equal(parseCsvData(CARDIAC, 'c.csv', { standardize: false }).standardize, undefined);
  });

  it('chosen features and labels; text labels become one-hot classes in sorted order', () => {
    const ds = parseCsvData('a,b,kind,c\n1,2,cat,3\n4,5,dog,6\n7,8,ant,9\n', 'f.csv', { features: ['c', 'a'], labels: ['kind'] });
    assert.deepEqual(ds.featureNames, ['c', 'a']);
    assert.deepEqual(Array.from(ds.x), [3, 1, 6, 4, 9, 7]);
    assert.equal(ds.task, 'multiclass');
    assert.deepEqual(ds.labelNames, ['ant', 'cat', 'dog']);
    assert.deepEqual(Array.from(ds.y), [0, 1, 0, 0, 0, 1, 1, 0, 0]);
  });

  it('text features are one-hot encoded as column=value; categorical forces it for numbers', () => {
    const ds = parseCsvData('color,size,price\nred,1,10\nblue,2,20\nred,10,30\n', 'f.csv', { categorical: ['size'] });
    assert.deepEqual(ds.featureNames, ['color=blue', 'color=red', 'size=1', 'size=2', 'size=10']);
    assert.deepEqual(Array.from(ds.x.subarray(0, 5)), [0, 1, 1, 0, 0]);
    assert.deepEqual(Array.from(ds.x.subarray(10, 15)), [0, 1, 0, 0, 1]);
    assert.equal(ds.task, 'regression');
    assert.deepEqual(Array.from(ds.y), [10, 20, 30]);
    assert.equal(ds.standardize, undefined); // nothing numeric to scale
  });

  it('several numeric label columns are a multi-output regression; quoted values and blank lines are fine', () => {
    const ds = parseCsvData('"x, first",name,y1,y2\n1.5,"Smith, J",2,3\n\n2,"Doe, A",4.5,-1e2\n', 'f.csv', { labels: ['y1', 'y2'] });
    assert.deepEqual(ds.featureNames, ['x, first', 'name=Doe, A', 'name=Smith, J']);
    assert.equal(ds.task, 'regression');
    assert.deepEqual(ds.labelNames, ['y1', 'y2']);
    assert.deepEqual(Array.from(ds.y), [2, 3, 4.5, -100]);
    assert.deepEqual(Array.from(ds.x), [1.5, 0, 1, 2, 1, 0]);
  });

  describe('bad CSVs name the file, line and column', () => {
    it('a text value in a number column', () => fails(GRADES, "data.csv:7: column 'GPA' is 'abc', expected a number."));
    for (const [name, nl] of [['\\n', '\n'], ['\\r\\n', '\r\n'], ['\\r', '\r']]) {
      it(`counts lines with ${name} line breaks, past blank lines and quoted line breaks`, () =>
        fails(['a,b', `1,"2${nl}z"`, '', '3,4', 'x,5'].join(nl), "data.csv:6: column 'a' is 'x', expected a number.", { features: ['a'], labels: ['b'], categorical: ['b'] }));
    }
    it('an empty value', () => fails('a,b\n1,2\n,3\n', "data.csv:3: column 'a' is empty; fill in a value or remove the row (missing values are not supported)."));
    it('a ragged row, counted in file lines past blank lines', () => fails('a,b\n1,2\n\n3\n', 'data.csv:4: the row has 1 value but the header has 2 columns; every row needs one value per column.'));
    it('too many values', () => fails('a,b\n1,2,3\n', 'data.csv:2: the row has 3 values but the header has 2 columns; every row needs one value per column.'));
    it('an empty file', () => fails(' \n', 'data.csv is empty: a CSV needs a header row of column names and at least one data row.'));
    it('a header without rows', () => fails('a,b\n', 'data.csv has a header row but no data rows.'));
    it('a missing column lists the columns there are', () => fails('a,b\n1,2\n', "data.csv: there is no column 'GPA' (named in features); the columns are: a, b.", { features: ['GPA'] }));
    it('a missing label column', () => fails('a,b\n1,2\n', "data.csv: there is no column 'y' (named in labels); the columns are: a, b.", { labels: ['y'] }));
    it('an unnamed column', () => fails('a,,c\n1,2,3\n', 'data.csv:1: column 2 has no name; give every column a name in the header row.'));
    it('a duplicate column name', () => fails('a,b,a\n1,2,3\n', "data.csv:1: two columns are named 'a'; rename one so each column name is unique."));
    it('a yes/no column with another word', () => fails('s,y\nyes,1\nno,2\nmaybe,3\n', "data.csv:4: column 's' is 'maybe', expected yes or no."));
    it('a blood-pressure column with a lone number', () =>
      fails('bp,y\n120/80,1\n130/90,2\n125,3\n', "data.csv:4: column 'bp' is '125', expected 2 numbers separated by '/' (like '120/80')."));
    it('an unterminated quote', () => fails('a,b\n1,"2\n3,4\n', 'data.csv:2: quoted field unterminated; close the quoted value with a matching \'"\'.'));
    it('a label with a single class', () => fails('a,b\n1,x\n2,x\n', "data.csv: the label column 'b' has only one value ('x'); a classifier needs at least two classes."));
    it('an empty label column', () => fails('a,b\n1,\n2,\n', "data.csv: the label column 'b' is empty; fill in the labels or name another column in \"labels\"."));
    it('an id column with more distinct text values than categories make sense', () => {
      const rows = Array.from({ length: 1001 }, (_, i) => `id${i},${i % 2}`);
      fails(['name,y', ...rows].join('\n'), 'data.csv: column \'name\' has 1001 different values; as categories that would be 1001 one-hot inputs. If it is a name or id, leave it out with "features"; if it holds numbers, fix the values that are not.');
    });
    it('a column that is both feature and label', () => fails('a,b\n1,2\n', "data.csv: column 'b' is both a feature and a label; a network cannot be given the answer as an input.", { features: ['a', 'b'], labels: ['b'] }));
  });

  describe('files', () => {
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-csv-'));
      fs.mkdirSync(path.join(dir, 'sub'));
      fs.writeFileSync(path.join(dir, 'sub', 'cardiac.csv'), CARDIAC);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('resolves the path relative to the .nn file folder', async () => {
      const ds = await loadData({ csv: 'sub/cardiac.csv', labels: ['Cardiac Arrest'] }, { baseDir: dir, seed: 1 });
      assert.equal(ds.count, 10);
    });

    it('names the five kinds of data when a spec has none of them', async () => {
      await assert.rejects(loadData({} as never, { baseDir: dir, seed: 1 }), { message: 'training.data needs one of "generator", "csv", "dataset", "idx" or "imageFolder".' });
    });

    it('says where it looked for a missing file', async () => {
      await assert.rejects(loadData({ csv: 'nope.csv', labels: [] }, { baseDir: dir, seed: 1 }),
        { message: `nope.csv: no such file (looked for ${path.join(dir, 'nope.csv')}); CSV paths are relative to the .nn file's folder.` });
    });

    it('refuses a file over the size limit, with its size', async () => {
      await assert.rejects(loadCsvFile({ csv: 'sub/cardiac.csv', labels: [] }, dir, 100),
        { message: `sub/cardiac.csv is ${Buffer.byteLength(CARDIAC)} bytes, more than the 100 bytes this machine can load as CSV (parsing needs several times the file's size in memory). Train on a sample of its rows.` });
    });
  });
});
