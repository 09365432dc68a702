// Tests of rmmkit's Handlebars environment (lib/render/handlebars.ts): the quoting helpers as
// templates use them, their refusals, the partials, and the cache of environment and templates.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { devidScriptView } from '../../lib/render/devid-script.js';
import {
  clearTemplateCache,
  renderTemplate,
  templateEnv,
  templatesDir,
} from '../../lib/render/handlebars.js';

describe('Handlebars environment', () => {
  beforeEach(() => clearTemplateCache());

  it('finds the templates that ship with the package', () => {
    assert.ok(existsSync(join(templatesDir(), 'devid', 'devid.sh.hbs')), templatesDir());
    assert.ok(existsSync(join(templatesDir(), 'devid', 'devid.ps1.hbs')), templatesDir());
  });

  it('is built once and reused until cleared', () => {
    const first = templateEnv();
    assert.equal(templateEnv(), first);
    clearTemplateCache();
    assert.notEqual(templateEnv(), first);
  });

  it('registers every .hbs file of templates/partials as a partial named without .hbs', () => {
    const want = readdirSync(join(templatesDir(), 'partials'))
      .filter((f) => /\.hbs$/.test(f))
      .map((f) => f.replace(/\.hbs$/, ''))
      .sort();
    assert.ok(want.length > 0);
    assert.deepEqual(Object.keys(templateEnv().partials).sort(), want);
  });

  it('quotes values with the sh and ps helpers', () => {
    const t = templateEnv().compile('{{sh a}} {{ps a}} {{envName n}}', { strict: true, noEscape: true });
    // POSIX: the quote leaves '…' and comes back as \'; PowerShell doubles it inside '…'.
    assert.equal(t({ a: "it's", n: 'MY_SALT' }), "'it'\\''s' 'it''s' MY_SALT");
  });

  it('refuses a non-string value in every helper, naming the helper and the type', () => {
    const env = templateEnv();
    for (const helper of ['sh', 'ps', 'envName']) {
      const t = env.compile(`{{${helper} v}}`);
      assert.throws(() => t({ v: 5 }), {
        code: 'BAD_TEMPLATE_VALUE',
        message: `helper ${helper} expects a string, got number`,
      });
    }
  });

  it('refuses an environment variable name that is not one', () => {
    const t = templateEnv().compile('{{envName n}}');
    for (const bad of ['1A', 'A-B', 'A B', '$(id)', '']) {
      assert.throws(() => t({ n: bad }), {
        code: 'BAD_TEMPLATE_VALUE',
        message: `not an environment variable name: ${JSON.stringify(bad)}`,
      });
    }
  });

  it('renders a template the same way twice (compiled once, then from the cache)', () => {
    const view = devidScriptView({ target: 'sh', link: 'https://partner.example/d?a=1&id={ID}' });
    const once = renderTemplate('devid/devid.sh.hbs', view);
    assert.equal(renderTemplate('devid/devid.sh.hbs', view), once);
    // noEscape: an & stays an & (HTML escaping would write &amp;).
    assert.ok(once.includes("'https://partner.example/d?a=1&id='"), 'link prefix baked verbatim');
    assert.ok(!once.includes('&amp;'));
  });

  it('names an undefined view field and the template', () => {
    const view = { ...devidScriptView({ target: 'sh' }), linkPrefix: undefined };
    assert.throws(() => renderTemplate('devid/devid.sh.hbs', view), {
      code: 'BAD_VIEW',
      message: 'view field linkPrefix of devid/devid.sh.hbs is undefined',
    });
  });
});
