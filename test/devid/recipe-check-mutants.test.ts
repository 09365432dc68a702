// lib/devid/recipe-check.ts in detail: the reference CSV reader (headers, BOM, blanks, line numbers)
// and the exact list of single changes recipeVariants offers, written out by hand from the rules in
// its comments (each option of each part, every other part order, joiner, hash and encoding, the
// shared ID length), and checkRecipeAgainst's report.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { checkRecipeAgainst, parseReferenceCsv, recipeVariants } from '../../lib/devid/recipe-check.js';
import type { Recipe } from '../../lib/devid/recipes.js';
import { InputError } from '../../lib/errors.js';

const GOOD = 'mac,bb,sys,uuid,salt,id\n';
const refused = (text: string) => {
  try {
    parseReferenceCsv(text, 'ref.csv');
  } catch (e) {
    assert.ok(e instanceof InputError);
    return e.message;
  }
  assert.fail('the CSV should be refused');
};

describe('recipe check: reading the reference CSV', () => {
  it('reads any column order, a BOM, blanks around header names and ids, and skips empty lines', () => {
    const pairs = parseReferenceCsv(
      '\ufeff ID ,Salt,UUID,SYS,BB,Mac\r\n abc ,s,u,y,b,m\r\n\r\nxyz,,,,,00:11\r\n',
      'ref.csv',
    );
    assert.deepEqual(pairs, [
      { line: 2, input: { mac: 'm', serials: { BB: 'b', SYS: 'y', UUID: 'u' }, salt: 's' }, id: 'abc' },
      { line: 3, input: { mac: '00:11', serials: { BB: '', SYS: '', UUID: '' }, salt: '' }, id: 'xyz' },
    ]);
  });

  it('names the missing and unknown columns of a wrong header', () => {
    assert.equal(
      refused('mac,bb,sys,uuid,salt\n1,2,3,4,5\n'),
      'ref.csv: line 1: the header must name the columns mac,bb,sys,uuid,salt,id (found "mac,bb,sys,uuid,salt"; missing id)',
    );
    assert.equal(
      refused('mac,bb,sys,uuid,salt,ids\n1,2,3,4,5,6\n'),
      'ref.csv: line 1: the header must name the columns mac,bb,sys,uuid,salt,id (found "mac,bb,sys,uuid,salt,ids"; missing id; unknown ids)',
    );
    assert.equal(
      refused('mac,bb,sys,uuid,salt,salt\n1,2,3,4,5,6\n'),
      'ref.csv: line 1: the header must name the columns mac,bb,sys,uuid,salt,id (found "mac,bb,sys,uuid,salt,salt"; missing id)',
    );
    assert.equal(
      refused('mac,bb,sys,uuid,salt,id,id\n1,2,3,4,5,6,7\n'),
      'ref.csv: line 1: the header must name the columns mac,bb,sys,uuid,salt,id (found "mac,bb,sys,uuid,salt,id,id")',
    );
    assert.equal(
      refused('mac,bb,sys,uuid,salt,id,note\n1,2,3,4,5,6,7\n'),
      'ref.csv: line 1: the header must name the columns mac,bb,sys,uuid,salt,id (found "mac,bb,sys,uuid,salt,id,note"; unknown note)',
    );
    assert.equal(
      refused('mac,sys,uuid,salt,id,note,x\n1,2,3,4,5,6,7\n'),
      'ref.csv: line 1: the header must name the columns mac,bb,sys,uuid,salt,id (found "mac,sys,uuid,salt,id,note,x"; missing bb; unknown note, x)',
    );
    assert.equal(
      refused(''),
      'ref.csv: line 1: the header must name the columns mac,bb,sys,uuid,salt,id (found ""; missing mac, bb, sys, uuid, salt, id)',
    );
  });

  it('refuses a header alone, an empty id (naming its line), and a row of another length', () => {
    assert.equal(refused(GOOD), 'ref.csv: has a header but no reference pairs');
    assert.equal(
      refused(`${GOOD}m,b,s,u,x,id1\nm,b,s,u,x,  \n`),
      "ref.csv: line 3: the id column is empty; every pair needs the console's ID",
    );
    const text = `${GOOD}m,b,s,u,x\n`;
    assert.throws(
      () => parseReferenceCsv(text, 'ref.csv'),
      (e: unknown) =>
        e instanceof InputError &&
        e.message.startsWith('ref.csv: not valid CSV: ') &&
        e.cause instanceof Error,
    );
  });
});

const R1: Recipe = {
  name: 'r1',
  parts: [
    { kind: 'mac', separator: ':', case: 'upper' },
    { kind: 'serial', normalize: 'devid1', sources: ['BB', 'SYS'], junk: true, withSource: false },
    { kind: 'salt', form: 'raw' },
  ],
  joiner: '|',
  hash: 'md5',
  encoding: 'hex',
  truncate: null,
  acceptAmbiguity: true,
};

describe('recipe check: the single changes offered', () => {
  // The changes of R1 in the documented order: parts, part order, joiner, hash, encoding, truncation.
  const base = [
    'MAC case: upper → lower (parts[0].mac.case: lower)',
    'MAC separator: ":" → ""',
    'MAC separator: ":" → "-"',
    'serial normalisation: devid1 → trim',
    'serial normalisation: devid1 → raw',
    'serial source prefix (SRC:): add it',
    'serial junk list: off',
    'serial sources: BB > SYS → SYS > BB',
    'serial sources: BB > SYS → BB > SYS > UUID',
    'serial sources: BB > SYS → BB > UUID > SYS',
    'serial sources: BB > SYS → SYS > BB > UUID',
    'serial sources: BB > SYS → SYS > UUID > BB',
    'serial sources: BB > SYS → UUID > BB > SYS',
    'serial sources: BB > SYS → UUID > SYS > BB',
    'salt form: raw → sha256',
    'part order: mac, serial, salt → mac, salt, serial',
    'part order: mac, serial, salt → serial, mac, salt',
    'part order: mac, serial, salt → serial, salt, mac',
    'part order: mac, serial, salt → salt, mac, serial',
    'part order: mac, serial, salt → salt, serial, mac',
    'joiner: "|" → ""',
    'joiner: "|" → "-"',
    'joiner: "|" → ":"',
    'joiner: "|" → ";"',
    'joiner: "|" → ","',
    'joiner: "|" → "_"',
    'joiner: "|" → "."',
    'joiner: "|" → "/"',
    'joiner: "|" → " "',
    'joiner: "|" → "#"',
    'joiner: "|" → "+"',
    'hash: md5 → sha256',
    'hash: md5 → sha1',
    'encoding: hex → hex-upper',
    'encoding: hex → base64',
    'encoding: hex → base64url',
  ];

  it('lists every change of a recipe once, and the cut to a length all expected IDs share', () => {
    const changes = recipeVariants(R1, ['a'.repeat(22), 'b'.repeat(22)]).map((v) => v.change);
    // md5 in base64url is 22 characters already: no cut; every other untruncated form is longer.
    const cut = base
      .filter((c) => c !== 'encoding: hex → base64url')
      .map((c) => `${c}, and cut to 22 characters (truncate: 22)`);
    assert.deepEqual(changes, [...base, 'truncation: none → 22 (truncate: 22)', ...cut]);
  });

  it('offers no cut when the expected IDs differ in length, or are as long as the digest', () => {
    assert.deepEqual(
      recipeVariants(R1, ['a'.repeat(22), 'b'.repeat(23)]).map((v) => v.change),
      base,
    );
    const full = recipeVariants(R1, ['a'.repeat(32)]).map((v) => v.change);
    assert.ok(full.includes('truncation: none → 32 (truncate: 32)'));
    assert.ok(full.includes('hash: md5 → sha256, and cut to 32 characters (truncate: 32)'));
    assert.ok(!full.includes('MAC separator: ":" → "", and cut to 32 characters (truncate: 32)'));
  });

  it('each change changes exactly what it says', () => {
    const byChange = new Map(recipeVariants(R1, ['x'.repeat(22)]).map((v) => [v.change, v.recipe]));
    const parts = (c: string) => (byChange.get(c) as Recipe).parts;
    assert.deepEqual(parts('MAC case: upper → lower (parts[0].mac.case: lower)')[0], {
      kind: 'mac',
      separator: ':',
      case: 'lower',
    });
    assert.deepEqual(parts('MAC separator: ":" → "-"')[0], { kind: 'mac', separator: '-', case: 'upper' });
    assert.deepEqual(parts('serial normalisation: devid1 → raw')[1], {
      ...R1.parts[1],
      normalize: 'raw',
    });
    assert.deepEqual(parts('serial source prefix (SRC:): add it')[1], { ...R1.parts[1], withSource: true });
    assert.deepEqual(parts('serial junk list: off')[1], { ...R1.parts[1], junk: false });
    assert.deepEqual(parts('serial sources: BB > SYS → UUID > SYS > BB')[1], {
      ...R1.parts[1],
      sources: ['UUID', 'SYS', 'BB'],
    });
    assert.deepEqual(parts('salt form: raw → sha256')[2], { kind: 'salt', form: 'sha256' });
    assert.deepEqual(parts('part order: mac, serial, salt → salt, mac, serial'), [
      R1.parts[2],
      R1.parts[0],
      R1.parts[1],
    ]);
    // Each variant changes one thing; the others are R1's.
    assert.deepEqual(byChange.get('joiner: "|" → "#"'), { ...R1, joiner: '#' });
    assert.deepEqual(byChange.get('hash: md5 → sha1'), { ...R1, hash: 'sha1' });
    assert.deepEqual(byChange.get('encoding: hex → base64'), { ...R1, encoding: 'base64' });
    assert.deepEqual(byChange.get('truncation: none → 22 (truncate: 22)'), { ...R1, truncate: 22 });
    assert.deepEqual(byChange.get('hash: md5 → sha1, and cut to 22 characters (truncate: 22)'), {
      ...R1,
      hash: 'sha1',
      truncate: 22,
    });
    assert.deepEqual(R1.parts[0], { kind: 'mac', separator: ':', case: 'upper' }, 'R1 itself unchanged');
  });

  it('the other directions: lower-case MAC, raw serial with prefix, hashed salt, a literal, a truncated recipe', () => {
    const r: Recipe = {
      name: 'r2',
      parts: [
        { kind: 'literal', text: 'X' },
        { kind: 'mac', separator: '', case: 'lower' },
        { kind: 'serial', normalize: 'raw', sources: ['UUID'], junk: false, withSource: true },
        { kind: 'salt', form: 'sha256' },
      ],
      joiner: '',
      hash: 'sha256',
      encoding: 'base64url',
      truncate: 16,
      acceptAmbiguity: true,
    };
    const variants = recipeVariants(r, ['a'.repeat(16), 'b'.repeat(17)]);
    const changes = variants.map((v) => v.change);
    assert.deepEqual(changes.slice(0, 15), [
      'MAC case: lower → upper (parts[1].mac.case: upper)',
      'MAC separator: "" → ":"',
      'MAC separator: "" → "-"',
      'serial normalisation: raw → devid1',
      'serial normalisation: raw → trim',
      'serial source prefix (SRC:): drop it',
      'serial junk list: on',
      'serial sources: UUID → BB > SYS > UUID',
      'serial sources: UUID → BB > UUID > SYS',
      'serial sources: UUID → SYS > BB > UUID',
      'serial sources: UUID → SYS > UUID > BB',
      'serial sources: UUID → UUID > BB > SYS',
      'serial sources: UUID → UUID > SYS > BB',
      'salt form: sha256 → raw',
      'part order: "X", mac, serial, salt → "X", mac, salt, serial',
    ]);
    assert.equal(changes.filter((c) => c.startsWith('part order: ')).length, 23, '4! - 1 orders');
    assert.deepEqual(changes.slice(14 + 22), [
      'part order: "X", mac, serial, salt → salt, serial, mac, "X"',
      'joiner: "" → "|"',
      'joiner: "" → "-"',
      'joiner: "" → ":"',
      'joiner: "" → ";"',
      'joiner: "" → ","',
      'joiner: "" → "_"',
      'joiner: "" → "."',
      'joiner: "" → "/"',
      'joiner: "" → " "',
      'joiner: "" → "#"',
      'joiner: "" → "+"',
      'hash: sha256 → sha1',
      'hash: sha256 → md5',
      'encoding: base64url → hex',
      'encoding: base64url → hex-upper',
      'encoding: base64url → base64',
      'truncation: 16 → none',
    ]);
    assert.deepEqual(variants.at(-1)?.recipe, { ...r, truncate: null });
    assert.deepEqual(variants[13]?.recipe.parts[3], { kind: 'salt', form: 'raw' });
    // All expected IDs 16 long, as the recipe already cuts: nothing new to cut to, only "none".
    const same = recipeVariants(r, ['a'.repeat(16)]).map((v) => v.change);
    assert.ok(!same.some((c) => c.startsWith('truncation: 16 → 16')));
    assert.ok(!same.some((c) => c.includes('and cut to')));
  });
});

describe('recipe check: the report', () => {
  const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
  const pair = (line: number, mac: string, bb: string, salt: string, id: string) => ({
    line,
    input: { mac, serials: { BB: bb }, salt },
    id,
  });

  it('all pairs match: no mismatch and no suggestions, even where a change would match too', () => {
    // The junk list does not matter for these serials, so "junk list: off" matches as well.
    const pairs = [
      pair(2, '00-1a-2b-3c-4d-5e', 'czc1234xyz', 'Acme', md5('00:1A:2B:3C:4D:5E|CZC1234XYZ|Acme')),
      pair(3, '3c:ec:ef:00:00:01', 'PF2ABCDE', 'x', md5('3C:EC:EF:00:00:01|PF2ABCDE|x')),
    ];
    assert.deepEqual(checkRecipeAgainst(R1, pairs), {
      recipe: 'r1',
      pairs: 2,
      matched: 2,
      firstMismatch: null,
      suggestions: [],
    });
  });

  it('a miss: the first mismatch with the ID and canonical string, and the change that fixes all', () => {
    const pairs = [
      pair(2, '00-1a-2b-3c-4d-5e', 'czc1234xyz', 'Acme', md5('00:1a:2b:3c:4d:5e|CZC1234XYZ|Acme')),
      pair(3, 'zz', 'PF2ABCDE', 'x', 'f'.repeat(32)),
    ];
    const report = checkRecipeAgainst(R1, pairs);
    assert.deepEqual(report.firstMismatch, {
      line: 2,
      input: pairs[0]?.input,
      expected: md5('00:1a:2b:3c:4d:5e|CZC1234XYZ|Acme'),
      got: md5('00:1A:2B:3C:4D:5E|CZC1234XYZ|Acme'),
      canonical: '00:1A:2B:3C:4D:5E|CZC1234XYZ|Acme',
    });
    assert.equal(report.matched, 0);
    assert.deepEqual(report.suggestions, []);
    const one = checkRecipeAgainst(R1, pairs.slice(0, 1));
    assert.deepEqual(one.suggestions, ['MAC case: upper → lower (parts[0].mac.case: lower)']);
    const err = checkRecipeAgainst(R1, pairs.slice(1));
    assert.deepEqual(err.firstMismatch, {
      line: 3,
      input: pairs[1]?.input,
      expected: 'f'.repeat(32),
      got: 'NO_NIC',
      canonical: null,
    });
  });
});
