// An independent reading of the recipe model for tests: regular expressions and node:crypto on a
// canonical string built here, sharing no code with lib/devid/recipes.ts (only the frozen junk lists).
import { createHash } from 'node:crypto';
import { JUNK_SERIALS, JUNK_UUIDS } from '../../lib/devid/recipe.js';
import type { Recipe } from '../../lib/devid/recipes.js';
import type { VectorTuple } from '../../lib/devid/vectors.js';

/** The example recipes of policies/recipes/, by file name. */
export const EXAMPLE_RECIPES = [
  'devid1',
  'colon-mac-raw-serial-sha256',
  'bare-mac-trim-serial-md5',
  'sha1-base64url-22',
] as const;

const ILL_FORMED = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const trimSpTab = (s: string) => s.replace(/^[ \t]+/, '').replace(/[ \t]+$/, '');
const devid1Serial = (s: string) => s.replace(/[^0-9A-Za-z]/g, '').toUpperCase();

function junk(canonical: string, source: string): boolean {
  if (canonical.length < 4 || /^(.)\1*$/.test(canonical)) return true;
  return JUNK_SERIALS.has(canonical) || (source === 'UUID' && JUNK_UUIDS.has(canonical));
}

/** The canonical string and ID of one tuple under `recipe`, or its error, as the spec words them. */
export function referenceId(
  recipe: Recipe,
  t: VectorTuple,
): { canonical: string; id: string } | { error: string } {
  const values = new Map<string, string>();
  for (const p of recipe.parts) {
    if (p.kind !== 'mac') continue;
    const hex = (t.mac ?? '').replace(/[^0-9A-Fa-f]/g, '').toUpperCase();
    if (!/^[0-9A-F]{12}$/.test(hex) || /^(0{12}|F{12})$/.test(hex) || /^.[13579BDF]/.test(hex))
      return { error: 'NO_NIC' };
    const cased = p.case === 'lower' ? hex.toLowerCase() : hex;
    values.set('mac', cased.replace(/(..)(?=.)/g, `$1${p.separator}`));
  }
  for (const p of recipe.parts) {
    if (p.kind !== 'serial') continue;
    const raw = { BB: t.bb, SYS: t.sys, UUID: t.uuid };
    for (const source of p.sources) {
      const r = raw[source];
      if (!r) continue;
      const v = p.normalize === 'devid1' ? devid1Serial(r) : p.normalize === 'trim' ? trimSpTab(r) : r;
      if (v === '' || ILL_FORMED.test(v)) continue;
      if (p.junk && junk(devid1Serial(r), source)) continue;
      values.set('serial', p.withSource ? `${source}:${v}` : v);
      break;
    }
    if (!values.has('serial')) return { error: 'NO_HW_ID' };
  }
  for (const p of recipe.parts) {
    if (p.kind !== 'salt') continue;
    const s = trimSpTab(t.salt ?? '');
    if (/[\x00-\x1f\x7f]/.test(s) || ILL_FORMED.test(s)) return { error: 'BAD_SALT' };
    values.set(
      'salt',
      s === '' || p.form === 'raw' ? s : createHash('sha256').update(s, 'utf8').digest('hex'),
    );
  }
  const canonical = recipe.parts
    .map((p) => (p.kind === 'literal' ? p.text : (values.get(p.kind) as string)))
    .join(recipe.joiner);
  const digest = createHash(recipe.hash).update(canonical, 'utf8').digest();
  let id =
    recipe.encoding === 'base64' || recipe.encoding === 'base64url'
      ? digest.toString('base64')
      : digest.toString('hex');
  if (recipe.encoding === 'hex-upper') id = id.toUpperCase();
  if (recipe.encoding === 'base64url') id = id.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  if (recipe.truncate !== null) id = id.slice(0, recipe.truncate);
  return { canonical, id };
}
