import { strict as assert } from 'assert';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

const root = join(__dirname, '../../..');

describe('docs/format.md', () => {
  it('documents every diagnostic code the model core can emit', () => {
    const dir = join(root, 'src/model');
    const source = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    // Codes appear as r.add('severity', 'code', …), as oneOf(…, 'code') and as { code: 'code' }.
    const found = new Set<string>();
    for (const re of [/add\(\s*'(?:error|warning|info)',\s*'([a-z-]+)'/g, /oneOf\([^)]*'([a-z-]+)'\)/g, /code: '([a-z-]+)'/g,
      /idNode \? '([a-z-]+)' : '([a-z-]+)'/g]) {
      for (const m of source.matchAll(re)) for (const c of m.slice(1)) if (c) found.add(c);
    }
    assert.ok(found.size > 30, `only found ${found.size} codes; the pattern above no longer matches the sources`);
    const docs = readFileSync(join(root, 'docs/format.md'), 'utf8');
    const missing = [...found].filter((c) => !docs.includes(`\`${c}\``));
    assert.deepEqual(missing, []);
  });
});
