// New components: a definition (what an author or the integration builder gives) normalized into a
// Component that looks like a current Datto export (every general field, a name-based uid).
import { createHash } from 'node:crypto';
import { GENERAL_FIELDS } from './resource-xml.js';
import type { Component, ComponentGeneral, ComponentVariable, PostCondition } from './types.js';

/** What an author gives to build a new component; idx default to the position. */
export interface ComponentDefinition {
  general: ComponentGeneral;
  variables?: (Omit<ComponentVariable, 'idx' | 'options'> & {
    idx?: number;
    options?: { idx?: number; name?: string; value?: string }[];
  })[];
  postConditions?: (Omit<PostCondition, 'idx'> & { idx?: number })[];
  body: Uint8Array | string;
  icon?: Uint8Array;
  attachments?: { name: string; data: Uint8Array }[];
}

/**
 * What a new component carries when its definition leaves a field out: every current Datto export has
 * description, uid, hash, version, timeout and securityLevel (datto-formats §1). The hash is the
 * server's to set, so it is written empty (`<hash/>`), as in an export of a never-saved component.
 */
export const NEW_COMPONENT_DEFAULTS = {
  description: '',
  hash: '',
  version: '1',
  timeout: '3600',
  securityLevel: '1',
} as const satisfies ComponentGeneral;

/** The namespace of rmmkit's name-based component uids (a fixed, random UUID). */
const UID_NAMESPACE = '6f1d3a52-4c0e-4b8e-9a57-2d7c9e8b1f04';

/**
 * A deterministic uid for a new component, from its name and category: a name-based UUID (version 5,
 * RFC 9562 §5.5), so the same definition always builds the same archive and a re-import updates the
 * component instead of adding a copy (Datto assigns a fresh uid only to a uid it has not seen).
 */
export function componentUid(name: string, category: string): string {
  const ns = Buffer.from(UID_NAMESPACE.replaceAll('-', ''), 'hex');
  const h = createHash('sha1').update(ns).update(`${category}\n${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/**
 * Normalizes a definition into a Component that looks like a current Datto export: current layout with
 * a line break after the XML declaration, every general field present (NEW_COMPONENT_DEFAULTS, a
 * name-based uid); no recorded timestamp, so the pinned one or SOURCE_DATE_EPOCH is used on write.
 */
export function newComponent(d: ComponentDefinition): Component {
  // In export order (GENERAL_FIELDS), so the source form lists them as resource.xml does.
  const uid = d.general.uid ?? componentUid(d.general.name ?? '', d.general.category ?? '');
  const defaults: ComponentGeneral = { ...NEW_COMPONENT_DEFAULTS, uid };
  const general: ComponentGeneral = {};
  for (const f of GENERAL_FIELDS) {
    const v = d.general[f] ?? defaults[f];
    if (v !== undefined) general[f] = v;
  }
  return {
    general,
    variables: (d.variables ?? []).map((v, k) => ({
      ...v,
      idx: v.idx ?? k,
      options: (v.options ?? []).map((o, n) => ({ ...o, idx: o.idx ?? n })),
    })),
    postConditions: (d.postConditions ?? []).map((p, k) => ({ ...p, idx: p.idx ?? k })),
    xml: { layout: 'current', afterDeclaration: '\n' },
    // Stryker disable next-line ConditionalExpression: Buffer.from(bytes) is a copy of the same bytes (a Buffer is a Uint8Array)
    body: typeof d.body === 'string' ? Buffer.from(d.body) : d.body,
    icon: d.icon,
    attachments: d.attachments ?? [],
    archive: {},
  };
}
