// Types of the component model: what a `.cpt` holds (resource.xml fields, body, icon, attachments)
// plus the fidelity record that lets a component read from Datto be written back byte for byte.

/** The two serialisations of resource.xml Datto has written (spec §1). */
export type XmlLayout = 'legacy' | 'current';

/** One attribute as written: value in its escaped (raw) form. */
export interface XmlAttr {
  name: string;
  value: string;
}

/** A node of XML the model does not know, kept so nothing is dropped. Text is raw (still escaped). */
export type XmlNode =
  | { type: 'element'; name: string; attrs: XmlAttr[]; children: XmlNode[]; pair?: boolean }
  | { type: 'text'; raw: string }
  | { type: 'markup'; raw: string };

/** A child of a known element, in document order: a known child's name or an unknown node. */
export type OrderItem = string | XmlNode;

/** What byte-exact re-serialisation needs beyond the fields. Paths look like `variable[1].defaultVal`. */
export interface XmlFidelity {
  layout: XmlLayout;
  /** The XML declaration, when it differs from the layout's (legacy: none). */
  declaration?: string | null;
  /** Attribute quote, when not the layout's (legacy `'`, current `"`). */
  quote?: string;
  /** Short empty-element form, when not the layout's (legacy `<x />`, current `<x/>`). */
  short?: string;
  /** Text between the declaration and the root element (default: none). */
  afterDeclaration?: string;
  /** Text after the root element (Datto: none). */
  trailing?: string;
  /** Attributes of the root element when not exactly info="CentraStage Component". */
  rootAttrs?: XmlAttr[];
  /** Empty elements written `<x></x>` instead of the layout's short form. */
  pairs?: string[];
  /** Text written with other escaping than the minimal one (`&amp; &lt; &gt;`), raw. */
  raw?: Record<string, string>;
  /** Children of known elements in document order, when it is not the canonical order. */
  order?: Record<string, OrderItem[]>;
  /** Attributes of known elements when not just `idx` (or none), raw. */
  attrs?: Record<string, XmlAttr[]>;
}

/** resource.xml `general`: every field is text as written; absent fields are undefined. */
export interface ComponentGeneral {
  name?: string;
  category?: string;
  description?: string;
  uid?: string;
  hash?: string;
  version?: string;
  timeout?: string;
  securityLevel?: string;
  installType?: string;
  uninstallType?: string;
}

/** One option of a `map` variable: label shown in the UI and the value passed to the script. */
export interface VariableOption {
  idx: number;
  name?: string;
  value?: string;
}

export interface ComponentVariable {
  idx: number;
  name?: string;
  options: VariableOption[];
  type?: string;
  direction?: string;
  description?: string;
  defaultVal?: string;
}

export interface PostCondition {
  idx: number;
  consequence?: string;
  resource?: string;
  text?: string;
  qualifier?: string;
}

/** The content of resource.xml. */
export interface ResourceXml {
  general: ComponentGeneral;
  variables: ComponentVariable[];
  postConditions: PostCondition[];
  xml: XmlFidelity;
}

export interface Attachment {
  name: string;
  data: Uint8Array;
}

/** A whole component: resource.xml plus the archive's files. */
export interface Component extends ResourceXml {
  /** `command.bat`, byte for byte (whatever the script language). */
  body: Uint8Array;
  /** `icon.png` bytes, or undefined when the archive has none. */
  icon?: Uint8Array;
  attachments: Attachment[];
  archive: ArchiveFidelity;
}

/** What a byte-exact archive rebuild needs. */
export interface ArchiveFidelity {
  /** The zip's DOS timestamp, `YYYY-MM-DDTHH:MM:SS`; undefined = pinned default or SOURCE_DATE_EPOCH. */
  timestamp?: string;
  /** Entry order when it is not command.bat, resource.xml, icon.png, attachments. */
  order?: string[];
}
