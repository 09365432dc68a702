// Types of the DEVID1 device-ID recipe (docs/devid1.md): inputs, results, NIC records.
// Errors are values here, never exceptions: a fleet of devices must not stop at one bad device.

/** The error codes of spec §3, in the order a hasher detects them. */
export type DevidErrorCode = 'NO_NIC' | 'NO_HW_ID' | 'BAD_SALT';

/** A serial-number source, in chain order (spec §2, "Source chain"). */
export type SerialSource = 'BB' | 'SYS' | 'UUID';

/** Raw inputs of one device. An empty string means the same as absent. */
export interface DeviceIdInput {
  mac?: string | null | undefined;
  serials?: Partial<Record<SerialSource, string | null | undefined>> | null | undefined;
  salt?: string | null | undefined;
}

export interface DeviceIdOk {
  /** 64 lower-case hex digits. */
  id: string;
  source: SerialSource;
  /** The canonical string that was hashed, `DEVID1|MAC|SRC:S|SALTHEX`. */
  canonical: string;
}

export interface DeviceIdFailure {
  error: DevidErrorCode;
}

export type DeviceIdResult = DeviceIdOk | DeviceIdFailure;

/** Why a serial source was or was not used; for human-readable diagnostics. */
export interface SourceTrace {
  source: SerialSource;
  raw: string | null;
  canonical: string | null;
  /** null when usable; otherwise why the source was skipped. */
  rejected: null | 'absent' | 'too-short' | 'repeated-character' | 'junk-list' | 'junk-uuid';
}

/** Bus of a network adapter: internal (PCI, VM bus, SoC) or external (USB, Thunderbolt). */
export type NicBus = 'internal' | 'external';

/** One candidate adapter as a collector found it; `order` is the OS tie-break (spec §6.2). */
export interface NicRecord {
  name: string;
  mac: string;
  bus: NicBus;
  wireless: boolean;
  /** Windows adapter Index (number), macOS BSD unit number (number), Linux name (string, byte order). */
  order: number | string;
}

/** A ranked adapter with its canonical MAC and the sort key that placed it. */
export interface RankedNic extends NicRecord {
  canonicalMac: string;
  locallyAdministered: boolean;
  virtualOui: string | null;
}
