// Parity vectors: a deterministic generator of hostile, junk and Unicode device inputs, and the
// vector file of any recipe (one JSON object per line) that other implementations are checked against.
import { WORKED_EXAMPLES } from './examples.js';
import { JUNK_SERIALS, JUNK_UUIDS } from './recipe.js';
import { type Recipe, recipeDeviceId } from './recipes.js';
import type { DeviceIdInput } from './types.js';

/** One device's raw inputs, as DEVID_* variables carry them ('' or absent = unset). */
export interface VectorTuple {
  mac: string;
  bb?: string | undefined;
  sys?: string | undefined;
  uuid?: string | undefined;
  salt?: string | undefined;
}

export const HOSTILE: readonly string[] = [
  '-n',
  '-e',
  '-n -e \\c',
  '%s',
  '%s%s%n',
  '\\c',
  '\\n\\t\\0',
  '$(id)',
  '`id`',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${…} is the hostile input here
  '${HOME}',
  "'",
  '"',
  "it's",
  '\u2018quoted\u2019',
  '\u201Cdq\u201D',
  '|',
  'a|b|c',
  'ABCD\r\nEFGH',
  'line1\nline2',
  '\r',
  '*',
  '?[a]',
  '~root',
  '#comment',
  '; rm -rf /',
  '&& echo',
  '\\',
  'back\\slash',
  '\t\tTAB\t',
  '--',
  '!event',
];

export const UNICODE: readonly string[] = [
  '\u0131d-\u017fn \u00df \u212a x9',
  'Stra\u00dfe-1234',
  '\u0130stanbul-77',
  'caf\u00e9 ABCD',
  'cafe\u0301 ABCD',
  '\u6771\u4eac\u30aa\u30d5\u30a3\u30b9',
  '\u{1F600}SN1234\u{1F600}',
  '\u00a0ABCD1234\u00a0',
  '\ufeffABCD1234',
  '\u212a\u212a\u212a\u212a',
  '\uff21\uff22\uff23\uff24',
  'M\u00fcller GmbH',
  '\u200b',
  '\u00ad\u200d\u00ad',
  'AB\u200bCD\u00adEF',
];

/** xorshift32: deterministic, so a failure reproduces. */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/**
 * `n` deterministic input tuples for parity runs: random, junk, Unicode and hostile MACs, serials and
 * salts, and every eighth one at the end of the source chain. The same seed gives the same tuples.
 */
export function generateTuples(n: number, seed = 0xdec1d): VectorTuple[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rnd() % xs.length] as T;
  const hex = (k: number) => Array.from({ length: k }, () => '0123456789abcdef'[rnd() % 16]).join('');
  const alnum = (k: number) =>
    Array.from(
      { length: k },
      () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[rnd() % 62],
    ).join('');
  const junkSerials = [...JUNK_SERIALS];
  const junkUuids = [...JUNK_UUIDS];
  const decorate = (s: string) => {
    // Lower-case some letters and sprinkle separators: canonicalisation must undo both.
    let out = '';
    for (const ch of s) {
      out += rnd() % 3 === 0 ? ch.toLowerCase() : ch;
      if (rnd() % 5 === 0) out += pick([' ', '-', '.', '/', '_', '\t']);
    }
    return out;
  };
  const mac = (): string => {
    const h = hex(12);
    switch (rnd() % 12) {
      case 0:
        return h.toUpperCase();
      case 1:
        return (h.match(/../g) as string[]).join('-');
      case 2:
        return (h.match(/..../g) as string[]).join('.');
      case 3:
        return pick(['00:00:00:00:00:00', 'ff:ff:ff:ff:ff:ff', '01:00:5e:00:00:01', '33:33:00:00:00:01']);
      case 4:
        return h.slice(0, 10); // too short
      case 5:
        return `${h}0`; // too long
      case 6:
        return `${h.slice(0, 1)}${pick(['1', '3', 'b', 'f'])}${h.slice(2)}`; // multicast
      case 7:
        return pick(HOSTILE) + h + pick(HOSTILE); // hostile decorations around a valid MAC
      case 8:
        return `\u00fc${(h.match(/../g) as string[]).join('\u2013')}`; // non-ASCII separators
      case 9:
        return `${h.slice(0, 1)}${pick(['2', '6', 'a', 'e'])}:${(h.slice(2).match(/../g) as string[]).join(':')}`; // local
      default:
        return (h.match(/../g) as string[]).join(':');
    }
  };
  const serial = (): string | undefined => {
    switch (rnd() % 14) {
      case 0:
        return undefined;
      case 1:
        return '';
      case 2:
        return decorate(pick(junkSerials));
      case 3:
        // A junk UUID everywhere: junk for the UUID source, a usable serial for BB and SYS.
        return decorate(pick(junkUuids));
      case 4:
        return pick(['0', '-1', 'NA', 'OEM', 'TBD', 'a.b', '   ']);
      case 5:
        return pick(['0000000000', 'FFFFFFFF', 'xxxx', 'NNNNNNN', 'x-X-x-X']);
      case 6:
        return pick(UNICODE);
      case 7:
        return pick(HOSTILE) + alnum(6) + pick(HOSTILE);
      case 8:
        return pick(HOSTILE);
      case 9:
        return `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
      case 10:
        return `  ${alnum(4 + (rnd() % 20))}  `;
      case 11:
        return alnum(200 + (rnd() % 900)); // long serial
      default:
        return decorate(alnum(4 + (rnd() % 16)));
    }
  };
  const salt = (): string | undefined => {
    switch (rnd() % 16) {
      case 0:
        return undefined;
      case 1:
        return '';
      case 2:
        return pick([' ', '\t', ' \t \t']);
      case 3:
        return `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`;
      case 4:
        return ` \t${alnum(10)}\t `;
      case 5:
        return pick(UNICODE);
      case 6:
        return pick(HOSTILE);
      case 7:
        return `${alnum(4)}${pick(['\x01', '\x1f', '\x7f', '\n', '\r', '\x1b[31m'])}${alnum(4)}`; // BAD_SALT
      case 8:
        return pick(['\u00a0x\u00a0', '\ufeffsalt', 'x\u2028y', 'Acme Site', 'Acme  Site ']);
      case 9:
        return alnum(1024); // 1 KB salt
      case 10:
        return `${pick(UNICODE)}${alnum(1000)}`;
      case 11:
        return `\n${alnum(5)}`; // control before the text: not trimmed, BAD_SALT
      default:
        return `site-${rnd() % 300}`;
    }
  };
  const tuples: VectorTuple[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 8 === 7) {
      // The end of the chain: BB and SYS unusable, so the UUID rules (its own junk list) decide.
      const uuid =
        rnd() % 2 === 0
          ? decorate(pick(junkUuids))
          : pick([`${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`, decorate(pick(junkSerials)), '']);
      tuples.push({
        mac: mac(),
        bb: pick([undefined, '', decorate(pick(junkSerials)), 'xxxx']),
        sys: pick([undefined, '0', decorate(pick(junkSerials))]),
        uuid,
        salt: salt(),
      });
      continue;
    }
    tuples.push({ mac: mac(), bb: serial(), sys: serial(), uuid: serial(), salt: salt() });
  }
  return tuples;
}

/** The worked examples of the DEVID1 spec as tuples (inputs only: any recipe can hash them). */
export const EXAMPLE_TUPLES: readonly VectorTuple[] = WORKED_EXAMPLES.map((e) => ({
  mac: e.input.mac as string,
  bb: e.input.serials?.BB ?? undefined,
  sys: e.input.serials?.SYS ?? undefined,
  uuid: e.input.serials?.UUID ?? undefined,
  salt: e.input.salt ?? undefined,
}));

/** A tuple as library input. */
export function tupleInput(t: VectorTuple): DeviceIdInput {
  return { mac: t.mac, serials: { BB: t.bb, SYS: t.sys, UUID: t.uuid }, salt: t.salt };
}

/**
 * The vector file of `recipe`: the worked examples, then `count` generated tuples, one JSON object a line
 * (`{"input": {"mac", "serials": {"BB", "SYS", "UUID"}, "salt"}, "expected": {"id", "source",
 * "canonical"} | {"error"}}`), absent inputs as null. Deterministic for a given seed.
 */
export function* recipeVectors(recipe: Recipe, count = 1000, seed = 0xdec1d): Generator<string> {
  for (const t of [...EXAMPLE_TUPLES, ...generateTuples(count, seed)]) {
    const input = {
      mac: t.mac,
      serials: { BB: t.bb ?? null, SYS: t.sys ?? null, UUID: t.uuid ?? null },
      salt: t.salt ?? null,
    };
    yield JSON.stringify({ input, expected: recipeDeviceId(recipe, tupleInput(t)) });
  }
}
