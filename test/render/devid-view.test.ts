// Tests of the view model and salt parsing of lib/render/devid-script.ts and of the PowerShell
// literal builder (lib/render/quote.ts): exact messages, defaults and the literal shapes.
import assert from 'node:assert/strict';
import { devidScriptView, parseSaltSource, saltEnvName } from '../../lib/render/devid-script.js';
import { quotePowerShell, quoteSh } from '../../lib/render/quote.js';

describe('devid script view and salt sources', () => {
  it('names the flag value and the rule in --salt errors', () => {
    assert.throws(() => parseSaltSource('env:1A'), {
      code: 'USAGE',
      message:
        '--salt env:1A: "1A" is not an environment variable name (letters, digits, _; not starting with a digit)',
    });
    assert.throws(() => parseSaltSource('Account'), {
      code: 'USAGE',
      message: '--salt "Account": use account, site, none or env:NAME',
    });
  });

  it('maps each salt source to the variable the script reads (spec §1: CS_ACCOUNT_UID, CS_PROFILE_UID)', () => {
    assert.equal(saltEnvName({ kind: 'account' }), 'CS_ACCOUNT_UID');
    assert.equal(saltEnvName({ kind: 'site' }), 'CS_PROFILE_UID');
    assert.equal(saltEnvName({ kind: 'none' }), '');
    assert.equal(saltEnvName({ kind: 'env', name: 'MY_SALT' }), 'MY_SALT');
  });

  it('re-checks an env salt source given by a library caller', () => {
    assert.throws(() => saltEnvName({ kind: 'env', name: 'Path' }), {
      code: 'BAD_SALT_SOURCE',
      message: /^Salt source env:Path: Path is set or changed by a shell/,
    });
    assert.throws(() => saltEnvName({ kind: 'env', name: 'a b' }), {
      code: 'BAD_SALT_SOURCE',
      message: /^Salt source env:a b: "a b" is not an environment variable name/,
    });
  });

  it('describes the salt and leaves the link parts empty without a link', () => {
    const none = devidScriptView({ target: 'sh', salt: { kind: 'none' } });
    assert.equal(none.saltEnv, '');
    assert.equal(none.saltDescription, 'none');
    assert.equal(none.hasLink, false);
    assert.equal(none.linkPrefix, '');
    assert.equal(none.linkSuffix, '');
    const account = devidScriptView({ target: 'powershell' });
    assert.equal(account.saltDescription, 'environment variable CS_ACCOUNT_UID (empty or unset = no salt)');
  });

  it('splits the link template around {ID}', () => {
    const v = devidScriptView({ target: 'sh', link: 'https://partner.example/d?id={ID}&x=1' });
    assert.equal(v.hasLink, true);
    assert.equal(v.linkPrefix, 'https://partner.example/d?id=');
    assert.equal(v.linkSuffix, '&x=1');
  });
});

describe('quote helpers, exact shapes', () => {
  it('refuses NUL in sh with the BAD_LITERAL code', () => {
    assert.throws(() => quoteSh('a\0b'), { code: 'BAD_LITERAL' });
  });

  it('concatenates consecutive non-ASCII units without empty literals between them', () => {
    assert.equal(quotePowerShell('a\u00e9\u00e9'), "('a' + [char]0x00E9 + [char]0x00E9)");
    assert.equal(quotePowerShell('\u00e9'), "('' + [char]0x00E9)");
    assert.equal(quotePowerShell("\u00e9'"), "('' + [char]0x00E9 + '''')");
    assert.equal(quotePowerShell(''), "''");
  });
});
