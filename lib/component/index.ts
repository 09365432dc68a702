// Public API of lib/component: the component model, resource.xml, .cpt archives, lint, source form.
export * from './cpt.js';
export * from './lint.js';
export * from './new-component.js';
export { escapeText, MAX_RESOURCE_XML, readResourceXml, writeResourceXml } from './resource-xml.js';
export * from './source.js';
export type * from './types.js';
