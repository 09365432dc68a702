// Public API of lib/component: the component model, resource.xml, .cpt archives, lint, source form.
import type { Component, ComponentGeneral, ComponentVariable, PostCondition } from './types.js';

export * from './cpt.js';
export * from './lint.js';
export { escapeText, MAX_RESOURCE_XML, readResourceXml, writeResourceXml } from './resource-xml.js';
export * from './source.js';
export type * from './types.js';

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

/** Normalizes a definition into a Component (current layout, no recorded timestamp: pinned on write). */
export function newComponent(d: ComponentDefinition): Component {
  return {
    general: { ...d.general },
    variables: (d.variables ?? []).map((v, k) => ({
      ...v,
      idx: v.idx ?? k,
      options: (v.options ?? []).map((o, n) => ({ ...o, idx: o.idx ?? n })),
    })),
    postConditions: (d.postConditions ?? []).map((p, k) => ({ ...p, idx: p.idx ?? k })),
    xml: { layout: 'current' },
    body: typeof d.body === 'string' ? Buffer.from(d.body, 'utf8') : d.body,
    icon: d.icon,
    attachments: d.attachments ?? [],
    archive: {},
  };
}
