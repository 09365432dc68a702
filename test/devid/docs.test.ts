// The DEVID1 contract ships in the repository (docs/devid1.md) and the README points there, not to a
// file outside it; package.json says where the project lives. Guards the newcomer's path.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKED_EXAMPLES } from '../../lib/devid/examples.js';
import { packageRoot } from '../../lib/paths.js';

const root = packageRoot();
const read = (p: string) => readFileSync(join(root, p), 'utf8');

describe('DEVID1 documentation', () => {
  it('README links docs/devid1.md and every relative link resolves; no link to shared/specs', () => {
    const readme = read('README.md');
    assert.doesNotMatch(readme, /shared\/specs/);
    assert.match(readme, /\]\(docs\/devid1\.md\)/);
    for (const [, target] of readme.matchAll(/\]\(([^)#:]+)(?:#[^)]*)?\)/g)) {
      assert.ok(existsSync(join(root, target as string)), `README links ${target}, which does not exist`);
    }
  });

  it('docs/devid1.md carries the worked examples and the sysfs reading', () => {
    const doc = read('docs/devid1.md');
    // The IDs are the spec's; examples.ts copies them too, so both must agree with the document.
    for (const ex of WORKED_EXAMPLES) assert.ok(doc.includes(ex.id), `docs/devid1.md lacks ${ex.id}`);
    assert.match(doc, /## 7\. Reading sysfs/);
    assert.match(doc, /\.eth0/);
  });

  it('package.json names the repository, the issue tracker and the home page, and ships docs/', () => {
    const pkg = JSON.parse(read('package.json'));
    assert.equal(pkg.repository.url, 'git+https://github.com/rmmkit/rmmkit.git');
    assert.equal(pkg.bugs.url, 'https://github.com/rmmkit/rmmkit/issues');
    assert.equal(pkg.homepage, 'https://github.com/rmmkit/rmmkit#readme');
    assert.ok(pkg.files.includes('docs/'));
  });
});
