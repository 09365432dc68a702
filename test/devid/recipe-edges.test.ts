// Edge cases of lib/devid/recipe.ts that the spec fixes and the main recipe tests leave implicit:
// non-ASCII characters next to MAC digits, missing serial maps, salts that trim to nothing or keep
// a control character, and the exact shape of a device ID. Salt hashes are computed here with
// node:crypto from the spec's rule (lower-case hex SHA-256 of the trimmed UTF-8 bytes).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  canonicalMac,
  canonicalSerial,
  clearSaltCache,
  isDeviceId,
  saltHex,
  traceSources,
} from '../../lib/devid/recipe.js';

const sha256 = (s: string): string => createHash('sha256').update(Buffer.from(s, 'utf8')).digest('hex');

describe('DEVID1 recipe edges', () => {
  beforeEach(() => clearSaltCache());

  it('canonicalMac drops non-ASCII characters, even digit-like ones (spec §2: keep only 0-9 A-F a-f)', () => {
    assert.equal(canonicalMac('00\u00e9:1a:2b:3c:4d:5e'), '001A2B3C4D5E');
    assert.equal(canonicalMac('\u0661\u0662001a2b3c4d5e'), '001A2B3C4D5E'); // Arabic-Indic digits
    assert.equal(canonicalMac('00:1a:2b:3c:4d:5e:7'), null); // 13 digits
    assert.equal(canonicalMac('\u0080001a2b3c4d5e'), '001A2B3C4D5E'); // U+0080, the first code past ASCII
  });

  it('canonicalSerial of a missing serial is empty', () => {
    assert.equal(canonicalSerial(null), '');
    assert.equal(canonicalSerial(undefined), '');
    assert.equal(canonicalSerial(''), '');
  });

  it('traceSources without any serials says every source is absent', () => {
    const absent = (source: string) => ({ source, raw: null, canonical: null, rejected: 'absent' });
    assert.deepEqual(traceSources(undefined), [absent('BB'), absent('SYS'), absent('UUID')]);
    assert.deepEqual(traceSources({}), [absent('BB'), absent('SYS'), absent('UUID')]);
  });

  it('a salt of spaces and tabs only gives an empty SALTHEX', () => {
    assert.equal(saltHex(' \t  \t'), '');
    assert.equal(saltHex('\t'), '');
  });

  it('a salt keeping a C0 control, DEL or a lone surrogate after trimming is BAD_SALT', () => {
    for (const bad of ['a\u0001b', ' a\nb ', '\u007f', 'x\ud800', '\udc00y']) {
      assert.equal(saltHex(bad), null, JSON.stringify(bad));
    }
  });

  it('a trimmed salt is hashed as UTF-8', () => {
    assert.equal(saltHex(' \tAcme Site\t '), sha256('Acme Site'));
    assert.equal(saltHex('\u00a0x\ufeff'), sha256('\u00a0x\ufeff')); // NBSP and BOM are not trimmed
    assert.equal(saltHex('\ud83d\ude00'), sha256('\u{1F600}')); // a surrogate pair is well formed
  });

  it('gives the same answer from the cache as the first time', () => {
    const first = saltHex('site-42');
    assert.equal(saltHex('site-42'), first);
    assert.equal(first, sha256('site-42'));
    assert.equal(saltHex('a\u0002'), null);
    assert.equal(saltHex('a\u0002'), null);
  });

  it('isDeviceId wants exactly 64 lower-case hex digits, nothing before or after', () => {
    const id = 'a'.repeat(64);
    assert.equal(isDeviceId(id), true);
    assert.equal(isDeviceId(`x${id}`), false);
    assert.equal(isDeviceId(`${id}x`), false);
    assert.equal(isDeviceId(`${id}\n`), false);
    assert.equal(isDeviceId('A'.repeat(64)), false);
  });
});
