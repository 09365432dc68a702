// Exact problem lists of the deep-link checks (lib/devid/link.ts, spec §7) when several rules meet:
// a declared host that is no host name, credentials by password only, canonical form only judged
// when nothing else is wrong, and the messages of BAD_LINK and BAD_ID.
import assert from 'node:assert/strict';
import { assertLinkTemplate, buildDeepLink, checkDeepLink } from '../../lib/devid/link.js';

describe('deep link problem lists', () => {
  it('a link that is not a URL: names a bad declared host too, and only then', () => {
    assert.deepEqual(checkDeepLink('notaurl', { host: 'bad/host' }), [
      'declared host "bad/host" is not a host name',
      'is not an absolute URL',
    ]);
    assert.deepEqual(checkDeepLink('notaurl', { host: 'partner.example' }), ['is not an absolute URL']);
    assert.deepEqual(checkDeepLink('notaurl'), ['is not an absolute URL']);
  });

  it('a bad declared host is one problem, not also a host mismatch', () => {
    assert.deepEqual(checkDeepLink('https://partner.example/d', { host: 'bad/host' }), [
      'declared host "bad/host" is not a host name',
    ]);
  });

  it('a declared host the URL parser refuses is not a host name', () => {
    assert.deepEqual(checkDeepLink('https://partner.example/d', { host: '[::1' }), [
      'declared host "[::1" is not a host name',
    ]);
  });

  it('a password alone is a credential', () => {
    assert.deepEqual(checkDeepLink('https://:pw@partner.example/d'), [
      'carries credentials (user:password@); none are allowed',
    ]);
  });

  it('judges canonical form only when nothing else is wrong', () => {
    assert.deepEqual(checkDeepLink('http://Partner.example/d'), [
      'uses scheme "http:"; only https: is allowed',
    ]);
    assert.deepEqual(checkDeepLink('https://Partner.example/d'), [
      'is not in canonical form; the parser reads it as "https://partner.example/d"',
    ]);
  });

  it('lists every problem of a template on its own line', () => {
    assert.throws(() => assertLinkTemplate('http://u@partner.example/{ID}'), {
      code: 'BAD_LINK',
      message:
        'Link template "http://u@partner.example/{ID}" cannot be used:\n' +
        '  - uses scheme "http:"; only https: is allowed\n' +
        '  - carries credentials (user:password@); none are allowed',
    });
  });

  it('names a device ID that is not one', () => {
    assert.throws(() => buildDeepLink('https://partner.example/{ID}', 'ABC'), {
      code: 'BAD_ID',
      message: 'Device ID "ABC" is not 64 lower-case hex digits',
    });
  });
});
