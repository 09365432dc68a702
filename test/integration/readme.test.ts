// The integration file shown in the README builds lint-clean components that run under the fake
// agent: a vendor who starts from the README alone gets working components.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCpt } from '../../lib/component/cpt.js';
import { lintComponent } from '../../lib/component/lint.js';
import { buildIntegration } from '../../lib/integration/build.js';
import { loadIntegration } from '../../lib/integration/load.js';
import { packageRoot } from '../../lib/paths.js';
import { run } from '../helpers/endpoint.js';
import { needTools, tool } from '../helpers/tools.js';
import {
  calls,
  component,
  DEVICE,
  DEVICE_ID,
  fakeRoot,
  forFakeAgent,
  installs,
  jobFolder,
  storeValue,
} from './agent.js';

function readmeIntegration(): string {
  const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Integration file and build'),
    readme.indexOf('## CLI reference'),
  );
  const m = /```yaml\n([\s\S]*?)```/.exec(section);
  assert.ok(m, 'the README section shows an integration file');
  return m[1] as string;
}

describe('the README integration file', () => {
  it('builds lint-clean components, and its deploy [LIN] runs under the fake agent', async function () {
    needTools(this, 'running the README example under dash', 'dash');
    const dir = mkdtempSync(join(tmpdir(), 'rmmkit-readme-'));
    try {
      const file = join(dir, 'acme.yaml');
      writeFileSync(file, readmeIntegration());
      const integration = await loadIntegration(file);
      const built = await buildIntegration(integration);
      assert.deepEqual(
        built.components.map((b) => b.file),
        ['components/deploy-lin.cpt', 'components/status-lin.cpt', 'components/link-lin.cpt'],
      );
      // No findings but the missing icon (the README's file names none: the vendor adds its own).
      for (const b of built.components)
        assert.deepEqual(
          lintComponent(readCpt(b.file, b.bytes)).map((x) => x.rule),
          ['comstore-icon'],
          b.file,
        );
      const f = fakeRoot();
      const i = forFakeAgent(integration, f.root);
      const c = component(i, 'deploy-lin');
      installs(f, [c.installed]);
      const job = jobFolder(f, i, c);
      const r = await run(
        [tool('dash') as string, job.script],
        { ...f.env, ...DEVICE, AcmeKey: 'ABCDEFGHIJ0123456789' },
        undefined,
        job.dir,
      );
      assert.equal(r.code, 0, r.stdout);
      assert.equal(r.stderr, '');
      assert.deepEqual(
        calls(f)
          .map((x) => x[0])
          .filter((n) => n !== 'uname'),
        ['curl', 'dpkg', 'acmectl'],
      );
      assert.equal(storeValue(f, 8), `https://console.acme.example/devices/${DEVICE_ID}`);
      rmSync(f.root, { recursive: true, force: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
