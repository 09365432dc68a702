// Runs a fleet validation from an export file: stream the devices through the validator.
import { readDevice } from './device.js';
import { type ExportFormat, readExportBatches } from './export.js';
import type { FleetProfile, FleetRun } from './types.js';
import { FleetValidator } from './validate.js';

export interface ExportRunOptions {
  format?: ExportFormat | undefined;
  saltValue?: string | undefined;
  /** Called every `every` devices with the count so far (progress). */
  onProgress?: ((devices: number) => void) | undefined;
}

/** Validates every device of an export file; memory grows with findings, not with the fleet. */
export async function validateExport(
  file: string,
  profile: FleetProfile,
  options: ExportRunOptions = {},
): Promise<FleetRun> {
  const v = new FleetValidator(profile, { source: file, saltValue: options.saltValue });
  let n = 0;
  for await (const batch of readExportBatches(file, {
    format: options.format,
    slot: profile.slot,
    maxSlots: profile.maxSlots,
  }))
    for (const item of batch) {
      if (item.error !== undefined)
        v.add({ ok: false, uid: '', hostname: '', siteUid: '', reason: `${item.where}: ${item.error}` });
      else v.add(readDevice(item.raw, profile, item.where));
      if (options.onProgress && ++n % 1000 === 0) options.onProgress(n);
    }
  return { result: v.finish(), validator: v };
}
