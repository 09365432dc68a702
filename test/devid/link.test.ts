// Tests of deep-link checks (lib/devid/link.ts, spec §7): each check fails alone on a hostile link.
import assert from 'node:assert/strict';
import { buildDeepLink, checkDeepLink, checkLinkTemplate, templateHost } from '../../lib/devid/link.js';
import { RmmkitError } from '../../lib/errors.js';

const host = 'partner.bright-av.web';
const id = '244e9c1dba980da994b0d24b29f7df91b24134f467e8e47a6ebbf6bbc5d79ca4';
const template = 'https://partner.bright-av.web/console/device?id={ID}';

describe('deep links', () => {
  // devid1.md §7: 112 characters (48 for the template without {ID}, 64 for the ID).
  it('builds the reference link (112 characters)', () => {
    const link = buildDeepLink(template, id, { host });
    assert.equal(link, `https://partner.bright-av.web/console/device?id=${id}`);
    assert.equal(link.length, 112);
  });

  const bad: [string, string, RegExp][] = [
    ['javascript: scheme', 'javascript:alert(1)//{ID}', /only https: is allowed/],
    ['javascript: with tabs inside', 'java\tscript:alert(1)//{ID}', /U\+0009 at offset 4/],
    ['leading control characters', '\x01\x02https://partner.bright-av.web/{ID}', /U\+0001 at offset 0/],
    ['leading space', ' https://partner.bright-av.web/{ID}', /U\+0020/],
    ['http', 'http://partner.bright-av.web/{ID}', /only https: is allowed/],
    ['credentials', 'https://user:pw@partner.bright-av.web/{ID}', /credentials/],
    ['user only', 'https://user@partner.bright-av.web/{ID}', /credentials/],
    ['foreign host', 'https://evil.example/{ID}', /declared host is "partner.bright-av.web"/],
    ['look-alike suffix', 'https://partner.bright-av.web.evil.example/{ID}', /declared host/],
    // A sub-domain ends with the declared host; only an exact host match may pass.
    [
      'sub-domain of the declared host',
      'https://evil.partner.bright-av.web/{ID}',
      /points to host "evil.partner.bright-av.web"/,
    ],
    ['parent domain of the declared host', 'https://bright-av.web/{ID}', /points to host "bright-av.web"/],
    ['host that only shares a suffix', 'https://xpartner.bright-av.web/{ID}', /declared host/],
    ['prefix trick', 'https://partner.bright-av.web@evil.example/{ID}', /credentials/],
    ['backslash authority', 'https:\\\\evil.example\\{ID}', /declared host|canonical/],
    ['explicit port', 'https://partner.bright-av.web:8443/{ID}', /declared host/],
    ['not canonical (upper-case host)', 'https://PARTNER.bright-av.web/{ID}', /canonical form/],
    ['non-ASCII', 'https://partner.bright-av.web/caf\u00e9/{ID}', /U\+00E9/],
    ['newline', 'https://partner.bright-av.web/{ID}\n', /U\+000A/],
    [
      '256 characters',
      `https://partner.bright-av.web/${'a'.repeat(256 - 30 - 64)}{ID}`,
      /256 characters long; at most 255/,
    ],
    ['no placeholder', 'https://partner.bright-av.web/device', /exactly once \(found 0\)/],
    ['two placeholders', 'https://partner.bright-av.web/{ID}/{ID}', /exactly once \(found 2\)/],
    ['not a URL', '{ID}', /not an absolute URL/],
    ['percent right before the ID', 'https://partner.bright-av.web/%{ID}', /'%' right before/],
    ['partial escape before the ID', 'https://partner.bright-av.web/%0{ID}', /'%' right before/],
    ['encoded line feed', 'https://partner.bright-av.web/%0a{ID}', /percent-encoded control character %0a/],
    ['encoded NUL', 'https://partner.bright-av.web/x%00/{ID}', /percent-encoded control character %00/],
    ['encoded DEL', 'https://partner.bright-av.web/{ID}?x=%7F', /percent-encoded control character %7F/],
  ];
  for (const [name, tpl, message] of bad) {
    it(`refuses ${name}`, () => {
      assert.match(checkLinkTemplate(tpl, { host }).join('\n'), message);
      assert.throws(
        () => buildDeepLink(tpl, id, { host }),
        (e: unknown) => e instanceof RmmkitError && e.code === 'BAD_LINK',
      );
    });
  }
  it('accepts exactly 255 characters', () => {
    const tpl = `https://partner.bright-av.web/${'a'.repeat(255 - 30 - 64)}{ID}`;
    assert.equal(buildDeepLink(tpl, id, { host }).length, 255);
  });
  it('never allows more than 255 characters, whatever maxLength says', () => {
    const link = `https://partner.bright-av.web/${'a'.repeat(300)}`;
    assert.match(checkDeepLink(link, { host, maxLength: 1000 }).join(), /at most 255/);
    assert.match(
      checkDeepLink(`https://partner.bright-av.web/${id}`, { host, maxLength: 90 }).join(),
      /is 94 characters long; at most 90/,
    );
  });
  it('keeps ordinary percent-escapes', () => {
    assert.deepEqual(checkLinkTemplate('https://partner.bright-av.web/a%20b/{ID}', { host }), []);
    for (const esc of ['%20', '%2F', '%2f', '%7E', '%7e', '%3D', '%C3%A9']) {
      assert.deepEqual(checkLinkTemplate(`https://partner.bright-av.web/a${esc}b/{ID}`, { host }), [], esc);
    }
  });
  // Every C0 control (%00-%1F) and DEL (%7F), in both letter cases, one at a time.
  const CONTROL_ESCAPES: string[] = [];
  for (let c = 0; c <= 0x1f; c++) CONTROL_ESCAPES.push(c.toString(16).padStart(2, '0'));
  CONTROL_ESCAPES.push('7f');
  for (const hex of CONTROL_ESCAPES) {
    for (const spelled of new Set([hex, hex.toUpperCase()])) {
      it(`refuses the percent-encoded control %${spelled}`, () => {
        const tpl = `https://partner.bright-av.web/x%${spelled}y/{ID}`;
        assert.match(
          checkLinkTemplate(tpl, { host }).join('\n'),
          new RegExp(`percent-encoded control character %${spelled} at offset 31`),
        );
      });
    }
  }
  it('refuses a bad ID', () => {
    assert.throws(() => buildDeepLink(template, 'ABC', { host }), /64 lower-case hex/);
    assert.throws(() => buildDeepLink(template, id.toUpperCase(), { host }), /64 lower-case hex/);
  });
  it('refuses a declared host with a path or credentials', () => {
    assert.match(checkDeepLink(`https://a.example/${id}`, { host: 'a.example/x' }).join(), /not a host name/);
    assert.match(checkDeepLink(`https://a.example/${id}`, { host: 'u@a.example' }).join(), /not a host name/);
  });
  it('compares the declared host case-insensitively', () => {
    assert.deepEqual(checkDeepLink(`https://a.example/${id}`, { host: 'A.Example' }), []);
  });
  it('reads the host of a template', () => {
    assert.equal(templateHost(template), host);
    assert.equal(templateHost('nope {ID}'), null);
  });

  describe('without a declared host (library defaults)', () => {
    it('builds the reference link with the template alone', () => {
      assert.equal(
        buildDeepLink(template, id),
        'https://partner.bright-av.web/console/device?id=244e9c1dba980da994b0d24b29f7df91b24134f467e8e47a6ebbf6bbc5d79ca4',
      );
      assert.deepEqual(checkLinkTemplate(template), []);
      assert.deepEqual(checkDeepLink(`https://partner.bright-av.web/${id}`), []);
    });
    it('still refuses what does not depend on the host', () => {
      for (const [tpl, message] of [
        ['http://partner.bright-av.web/{ID}', /only https: is allowed/],
        ['https://u:p@partner.bright-av.web/{ID}', /credentials/],
        ['https://partner.bright-av.web/%0a{ID}', /percent-encoded control/],
        ['nope {ID}', /not an absolute URL/],
        ['javascript:alert(1)//{ID}', /only https: is allowed/],
      ] as const) {
        assert.throws(
          () => buildDeepLink(tpl, id),
          (e: unknown) => e instanceof RmmkitError && e.code === 'BAD_LINK' && message.test(e.message),
          tpl,
        );
      }
      assert.doesNotMatch(checkLinkTemplate('javascript:alert(1)//{ID}').join('\n'), /declared host/);
    });
  });
});
