// The monitor types as rows of one table: what an author writes (zod schema), how it normalizes,
// which fields it has (for the profile writer/reader, the sheet and diff). A new type is one row here
// plus its element names in profile.ts.
import { z } from 'zod';
import {
  type ComponentMonitor,
  EVENT_TYPES,
  type EventLogMonitor,
  type Monitor,
  type MonitorType,
  type ProcessMonitor,
  RUN_STATES,
  type ServiceMonitor,
} from './types.js';

/** How a model field is stored and shown. `key` is a dotted path into the monitor. */
export type FieldKind = 'text' | 'int' | 'ints' | 'enum' | 'enums' | 'component' | 'variables';

export interface FieldSpec {
  key: string;
  /** The label a person sees on the build sheet (the UI's wording where it is known). */
  label: string;
  kind: FieldKind;
  optional?: boolean;
  /** Shown after a number on the sheet. */
  unit?: string;
  /** Shown on the sheet when an optional field is absent. */
  absent?: string;
}

/** The author's fields of a monitor type, after zod: scalars still as written (codes may be strings). */
export type Parsed = Record<string, unknown>;

export interface MonitorTypeRow {
  type: MonitorType;
  /** The monitor's name in the UI, for the sheet. */
  title: string;
  /** Zod shape of the type's own fields (common fields are added by the validator). */
  shape: z.ZodRawShape;
  /** Fields of the type-specific block, in profile/sheet order. */
  fields: FieldSpec[];
  /** What makes two monitors of this type the same monitor (duplicates are refused). */
  identity(m: Monitor): string;
  /** The one-line summary used by inspect and the sheet's headings. */
  summary(m: Monitor): string;
}

const nonEmpty = (what: string) =>
  z
    .string()
    .trim()
    .min(1, { error: `${what} may not be empty` });
const positiveInt = z.int().min(1);

/** Event IDs: whole numbers 0–65535; the API stores them as strings, so "26108" is accepted too. */
const eventCode = z
  .union([
    z.int(),
    z.string().regex(/^[0-9]+$/, { error: 'is not a number: an event ID is a whole number from 0 to 65535' }),
  ])
  .transform(Number)
  .pipe(z.int().min(0).max(65535));

const state = z.enum(RUN_STATES).default('stopped');

export const MONITOR_TYPES: readonly MonitorTypeRow[] = [
  {
    type: 'eventlog',
    title: 'Event Log monitor',
    shape: {
      log: nonEmpty('the log name'),
      source: nonEmpty('the event source'),
      codes: z.array(eventCode).min(1),
      eventTypes: z.array(z.enum(EVENT_TYPES)).min(1),
      match: z.string().min(1).optional(),
      trigger: z
        .strictObject({ count: positiveInt.optional(), windowMins: positiveInt.optional() })
        .optional(),
    },
    fields: [
      { key: 'log', label: 'Log name', kind: 'text' },
      { key: 'source', label: 'Event source', kind: 'text' },
      { key: 'codes', label: 'Event IDs', kind: 'ints' },
      { key: 'eventTypes', label: 'Event types', kind: 'enums' },
      { key: 'match', label: 'Description contains', kind: 'text', optional: true, absent: 'leave empty' },
      { key: 'trigger.count', label: 'Number of events', kind: 'int' },
      {
        key: 'trigger.windowMins',
        label: 'Within',
        kind: 'int',
        optional: true,
        unit: 'minutes',
        absent: 'no time window',
      },
    ],
    identity: (m) => {
      const e = m as EventLogMonitor;
      return JSON.stringify([
        e.log.toLowerCase(),
        e.source.toLowerCase(),
        [...e.codes].sort((a, b) => a - b),
        [...e.eventTypes].sort(),
        e.match ?? '',
        // the same events counted otherwise is an escalation (1 → Moderate, 10 in 60 min → Critical)
        e.trigger.count,
        e.trigger.windowMins ?? 0,
      ]);
    },
    summary: (m) => {
      const e = m as EventLogMonitor;
      return `${e.log} / ${e.source}: event ${e.codes.join(', ')} (${e.eventTypes.join(', ')})`;
    },
  },
  {
    type: 'component',
    title: 'Component monitor',
    shape: {
      component: z.union([
        nonEmpty('the component'),
        z.strictObject({ uid: nonEmpty('the component uid'), name: nonEmpty('the component name') }),
      ]),
      variables: z.record(z.string(), z.unknown()).optional(),
      intervalMins: positiveInt,
    },
    fields: [
      { key: 'component', label: 'Component', kind: 'component' },
      { key: 'variables', label: 'Variables', kind: 'variables' },
      { key: 'intervalMins', label: 'Run every', kind: 'int', unit: 'minutes' },
    ],
    identity: (m) => {
      const c = m as ComponentMonitor;
      return JSON.stringify([c.component.uid || c.component.name, c.variables]);
    },
    summary: (m) => {
      const c = m as ComponentMonitor;
      return `${c.component.name} every ${c.intervalMins} min`;
    },
  },
  {
    type: 'process',
    title: 'Process monitor',
    shape: { process: nonEmpty('the process name'), state },
    fields: [
      { key: 'process', label: 'Process name', kind: 'text' },
      { key: 'state', label: 'Alert when the process is', kind: 'enum' },
    ],
    identity: (m) =>
      JSON.stringify([(m as ProcessMonitor).process.toLowerCase(), (m as ProcessMonitor).state]),
    summary: (m) => `${(m as ProcessMonitor).process} ${(m as ProcessMonitor).state}`,
  },
  {
    type: 'service',
    title: 'Service monitor',
    shape: { service: nonEmpty('the service name'), state },
    fields: [
      { key: 'service', label: 'Service name', kind: 'text' },
      { key: 'state', label: 'Alert when the service is', kind: 'enum' },
    ],
    identity: (m) =>
      JSON.stringify([(m as ServiceMonitor).service.toLowerCase(), (m as ServiceMonitor).state]),
    summary: (m) => `${(m as ServiceMonitor).service} ${(m as ServiceMonitor).state}`,
  },
];

export const MONITOR_TYPE_KEYS = MONITOR_TYPES.map((r) => r.type);

export function monitorType(type: string): MonitorTypeRow | undefined {
  return MONITOR_TYPES.find((r) => r.type === type);
}

/** The value at a dotted key of a monitor (`trigger.count`). */
export function getField(m: object, key: string): unknown {
  let v: unknown = m;
  for (const k of key.split('.'))
    v = v === undefined || v === null ? undefined : (v as Record<string, unknown>)[k];
  return v;
}

/** Sets a dotted key, creating intermediate objects. */
export function setField(m: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let o = m;
  for (const k of parts.slice(0, -1)) {
    o[k] ??= {};
    o = o[k] as Record<string, unknown>;
  }
  o[parts[parts.length - 1]!] = value;
}
