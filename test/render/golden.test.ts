// Golden files of the rendered endpoint scripts: any change to a template shows up as a diff here.
// Regenerate on purpose with UPDATE_GOLDEN=1 npm test, then review the diff.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DevidScriptOptions, renderDevidScript } from '../../lib/render/devid-script.js';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), '..', 'golden', 'devid');
const LINK = 'https://partner.bright-av.web/console/device?id={ID}';

const CASES: [string, DevidScriptOptions][] = [
  ['devid.sh', { target: 'sh' }],
  ['devid.ps1', { target: 'powershell' }],
  ['devid-site-link.sh', { target: 'sh', salt: { kind: 'site' }, link: LINK }],
  ['devid-env-link.ps1', { target: 'powershell', salt: { kind: 'env', name: 'VENDOR_SALT' }, link: LINK }],
];

describe('endpoint script golden files', () => {
  for (const [file, options] of CASES) {
    it(file, () => {
      const text = renderDevidScript(options);
      const path = join(GOLDEN, file);
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(path, text);
      }
      assert.equal(
        text,
        readFileSync(path, 'utf8'),
        `${file} differs; regenerate with UPDATE_GOLDEN=1 if intended`,
      );
    });
  }
});
