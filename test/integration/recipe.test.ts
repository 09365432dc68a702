// A vendor recipe in the integration file (`link.recipe`) reaches everything that hashes: the built
// link component writes the recipe's ID into the UDF under every shell, the endpoint hashers compute
// it (sh and pwsh), and a recipe whose IDs cannot sit in the link is refused with its line. Expected
// IDs come from the independent reference in test/helpers/recipe-reference.ts, not from lib/devid.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIntegration } from '../../lib/integration/build.js';
import { checkIntegration, loadIntegration } from '../../lib/integration/load.js';
import type { Integration } from '../../lib/integration/types.js';
import { packageRoot } from '../../lib/paths.js';
import { needShells, run, runPwshCases } from '../helpers/endpoint.js';
import { referenceId } from '../helpers/recipe-reference.js';
import { needTools, tool } from '../helpers/tools.js';
import { component, DEVICE, fakeRoot, forFakeAgent, jobFolder, storeValue } from './agent.js';

const POLICIES = join(packageRoot(), 'policies');

/** The Nimbus example with `link.recipe` set, written to a temp folder (paths made absolute). */
function nimbusWithRecipe(dir: string, recipe: string): string {
  const text = readFileSync(join(POLICIES, 'nimbus-linux-agent.yaml'), 'utf8')
    .replace('icon: nimbus-linux-agent/icon.png', `icon: ${join(POLICIES, 'nimbus-linux-agent/icon.png')}`)
    .replace('  udf: { slot: 12,', `  recipe: ${recipe}\n  udf: { slot: 12,`);
  const file = join(dir, 'nimbus.yaml');
  writeFileSync(file, text);
  return file;
}

describe('integration file with a vendor recipe (link.recipe)', function () {
  this.timeout(300000);
  let dir = '';
  let integration: Integration;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rmmkit-recipe-int-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const want = async (i: Integration) => {
    const r = referenceId(i.link.recipe, { mac: DEVICE.DEVID_MAC, bb: DEVICE.DEVID_BB });
    assert.ok('id' in r, JSON.stringify(r));
    return r.id;
  };

  it('the link component writes the recipe ID into the UDF, in every shell', async function () {
    const shells = needShells(this, 'running the built sh components');
    integration = await loadIntegration(
      nimbusWithRecipe(dir, join(POLICIES, 'recipes', 'sha1-base64url-22.yaml')),
    );
    assert.equal(integration.link.recipe.name, 'sha1-base64url-22');
    const id = await want(integration);
    assert.match(id, /^[A-Za-z0-9_-]{22}$/);
    for (const shell of shells) {
      const f = fakeRoot();
      try {
        const i = forFakeAgent(integration, f.root);
        const job = jobFolder(f, i, component(i, 'link-lin'));
        const argv = [tool(shell.tool) as string, ...shell.argv.slice(1), job.script];
        const r = await run(argv, { ...f.env, FAKE_UNAME: 'Linux', ...DEVICE }, undefined, job.dir);
        assert.equal(r.code, 0, `${shell.name}: ${r.stdout}${r.stderr}`);
        assert.equal(r.stderr, '', shell.name);
        assert.equal(
          storeValue(f, 12),
          `https://portal.nimbus-backup.web/machines/${id}/overview`,
          shell.name,
        );
        // A second run recognises its own (recipe-shaped) link and changes nothing.
        const again = await run(argv, { ...f.env, FAKE_UNAME: 'Linux', ...DEVICE }, undefined, job.dir);
        assert.equal(again.code, 0, `${shell.name}: ${again.stdout}`);
        assert.doesNotMatch(again.stdout, /wrote the console link/);
      } finally {
        rmSync(f.root, { recursive: true, force: true });
      }
    }
  });

  it('the built endpoint hashers compute the recipe ID (sh and PowerShell)', async function () {
    needShells(this, 'running the built sh components');
    needTools(this, 'PowerShell runs', 'pwsh');
    integration = await loadIntegration(
      nimbusWithRecipe(dir, join(POLICIES, 'recipes', 'bare-mac-trim-serial-md5.yaml')),
    );
    const id = await want(integration);
    const built = await buildIntegration(integration);
    const link = `https://portal.nimbus-backup.web/machines/${id}/overview\n`;
    const sh = join(dir, 'devid.sh');
    writeFileSync(sh, built.files.get('endpoint/devid.sh') as string);
    const r = await run(['dash', sh], { ...DEVICE });
    assert.deepEqual(r, { stdout: link, stderr: '', code: 0 });
    const [ps] = await runPwshCases([
      { script: built.files.get('endpoint/devid.ps1') as string, env: DEVICE },
    ]);
    assert.deepEqual(ps, { stdout: link, stderr: '', code: 0 });
    assert.match(built.files.get('BUILD.md') as string, /recipe `bare-mac-trim-serial-md5`/);
  });

  it('refuses a recipe whose IDs cannot sit in a link, naming link.recipe and its line', async () => {
    const b64 = join(dir, 'b64.yaml');
    writeFileSync(
      b64,
      'name: plain-b64\nparts:\n  - mac: { separator: ":", case: upper }\n  - serial: { normalize: devid1, sources: [BB] }\njoiner: "|"\nhash: sha256\nencoding: base64\n',
    );
    const file = nimbusWithRecipe(dir, b64);
    const r = await checkIntegration(file);
    assert.equal(r.integration, null);
    const issue = r.issues.find((i) => i.path === 'link.recipe');
    assert.ok(issue, JSON.stringify(r.issues));
    assert.match(issue.message, /base64url/);
    const line =
      readFileSync(file, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('recipe:')) + 1;
    assert.equal(issue.line, line);
  });
});
