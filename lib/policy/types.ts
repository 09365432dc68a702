// Types of the monitoring-policy model: what authors write (definitions) and the normalized Policy
// every writer, sheet and diff accepts. Profile-specific names live in profile.ts, not here.
import type { Component } from '../component/types.js';

export const PRIORITIES = ['Critical', 'High', 'Moderate', 'Low', 'Information'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const EVENT_TYPES = [
  'Error',
  'Warning',
  'Information',
  'Success Audit',
  'Failure Audit',
  'Critical',
  'Verbose',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const SCOPES = ['global', 'site'] as const;
export type Scope = (typeof SCOPES)[number];

export const RUN_STATES = ['stopped', 'running'] as const;
export type RunState = (typeof RUN_STATES)[number];

/**
 * A component a monitor runs or a response starts. `embed`: the component travels inside the .pcy
 * (entry `components/<slug>.cpt`); `uid`: a reference to a component already in the account.
 */
export type ComponentRef =
  | { strategy: 'embed'; uid: string; name: string; component: Component }
  | { strategy: 'uid'; uid: string; name: string };

export interface Responses {
  /** E-mail recipients, in the order written. */
  email: string[];
  /** Create a ticket when the monitor alerts. */
  ticket: boolean;
  /** A component to run when the monitor alerts. */
  component?: ComponentRef;
  /** A webhook URL to call when the monitor alerts (https). */
  webhook?: string;
}

/** What every monitor has, whatever its type. */
export interface MonitorCommon {
  priority: Priority;
  /** Minutes until the alert resolves itself; undefined = never. */
  autoResolveMins?: number;
  responses: Responses;
}

export interface EventLogMonitor extends MonitorCommon {
  type: 'eventlog';
  log: string;
  source: string;
  codes: number[];
  eventTypes: EventType[];
  match?: string;
  trigger: { count: number; windowMins?: number };
}

export interface ComponentMonitor extends MonitorCommon {
  type: 'component';
  component: ComponentRef;
  /** Values for the component's input variables, in the component's variable order. */
  variables: { name: string; value: string }[];
  intervalMins: number;
}

export interface ProcessMonitor extends MonitorCommon {
  type: 'process';
  process: string;
  state: RunState;
}

export interface ServiceMonitor extends MonitorCommon {
  type: 'service';
  service: string;
  state: RunState;
}

export type Monitor = EventLogMonitor | ComponentMonitor | ProcessMonitor | ServiceMonitor;
export type MonitorType = Monitor['type'];

/**
 * An XML element a reader did not know (a later profile's addition), kept so a rewrite loses nothing.
 * `text` is decoded text; an element has text or children, not both.
 */
export interface UnknownElement {
  name: string;
  attrs: { name: string; value: string }[];
  text?: string;
  children: UnknownElement[];
}

/** What a reader kept that the model does not know: written back in place on the next build. */
export interface PolicyExtras {
  /** The format attribute read, when it was not this profile's. */
  format?: string;
  /** Unknown elements, keyed by the path of their parent (`policy`, `general`, `monitor[1]`, `monitor[1].responses`). */
  elements?: Record<string, UnknownElement[]>;
  /** Archive entries that are neither policy.xml nor an embedded component, in archive order. */
  entries?: { name: string; data: Uint8Array }[];
}

/** The normalized policy: every field present (optional ones undefined), monitors in declared order. */
export interface Policy {
  name: string;
  description: string;
  scope: Scope;
  enabled: boolean;
  monitors: Monitor[];
  extras?: PolicyExtras;
}
