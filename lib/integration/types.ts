// The normalized integration: every field present, defaults applied, names resolved. Renderers and
// other areas (policies, detection, fleet) take only this form; authors write IntegrationDefinition.
import type { Recipe } from '../devid/recipes.js';
import type { Issue } from '../errors.js';
import type { SaltSource } from '../render/devid-script.js';
import type { ActionDefinition, RegistryTarget, SourceDefinition } from './schema.js';

export type ComponentKind = 'deploy' | 'status' | 'tasks' | 'link';
export type ComponentOs = 'windows' | 'macos' | 'linux';

/** A validation finding located in the integration file. */
export interface IntegrationIssue extends Issue {
  file: string;
  /** 1-based; 0 when the place is unknown. */
  line: number;
  column: number;
}

export interface IntegrationVariable {
  name: string;
  type: 'string' | 'boolean' | 'selection';
  description: string;
  /** Text as the script receives it ('' = none); for a selection, the option *value*. */
  default: string;
  /** Selection options in file order: label shown in Datto → value. */
  options: Array<{ label: string; value: string }>;
  secret: boolean;
  /** '' = any value. */
  pattern: string;
  /** Added by rmmkit (UDF slot, OverwriteUdf, MaxAgeDays), not written by the author. */
  builtin: boolean;
}

export interface SiteVariable {
  name: string;
  secret: boolean;
  pattern: string;
  description: string;
}

/** A source with its attachment resolved to a path and a file name inside the component. */
export type Source =
  | { kind: 'attachment'; path: string; name: string }
  | { kind: 'url'; url: string; sha256: string; name: string };

export interface InstallSpec {
  type: 'msi' | 'exe' | 'pkg' | 'deb' | 'rpm' | 'script';
  /** Linux may list deb and rpm; the script picks by the package tool present. Others: one. */
  sources: Array<{ type: InstallSpec['type']; source: Source }>;
  arguments: string[];
  stopProcesses: string[];
}

export interface LicenceSpec {
  variable: string;
  /** Where the variable comes from: this component or a Datto site/account variable. */
  from: 'component' | 'site';
  secret: boolean;
  pattern: string;
  registry: RegistryTarget | null;
  script: { source: Source; runner: 'osascript' | 'sh' } | null;
  command: string[] | null;
}

export interface StatusSpec {
  process: string;
  lastUpdate: { command: string[]; maxAgeVariable: string; maxAgeDays: number } | null;
}

export interface TasksSpec {
  variable: string;
  actions: Array<{ value: string } & ActionDefinition>;
}

export interface IntegrationComponent {
  id: string;
  kind: ComponentKind;
  os: ComponentOs;
  /** Display name ending in the OS tag. */
  name: string;
  description: string;
  category: 'applications' | 'scripts' | 'monitors';
  timeout: number;
  installed: string;
  variables: IntegrationVariable[];
  install: InstallSpec | null;
  licence: LicenceSpec | null;
  status: StatusSpec | null;
  tasks: TasksSpec | null;
  /** Deploy: link after installing. Link: always. Others: never. */
  link: boolean;
}

export interface Integration {
  rmmkit: 1;
  vendor: string;
  product: string;
  /** Absolute path of the icon, or undefined. */
  icon?: string;
  /** The integration file (absolute path). */
  file: string;
  link: {
    template: string;
    hosts: string[];
    salt: SaltSource;
    udf: { slot: number; variable: string; max: number; allowSlot1: boolean; store: string };
    /** The device-ID recipe (`link.recipe`, resolved; DEVID1 when the file names none). */
    recipe: Recipe;
  };
  siteVariables: SiteVariable[];
  components: IntegrationComponent[];
  policies: unknown[];
  datto?: { platform?: string; accountUid?: string; siteUids?: string[]; devices?: string[] };
}

export type { ActionDefinition, RegistryTarget, SourceDefinition };
