// Name-based UUIDs (RFC 9562 version 5, SHA-1): the same rule name always gets the same rule id.
import { createHash } from 'node:crypto';

/** The namespace of rmmkit detection rules: UUIDv5 of "rmmkit.detect" in the RFC's URL namespace. */
export const RULE_NAMESPACE = uuidV5('https://rmmkit.invalid/detect', '6ba7b811-9dad-11d1-80b4-00c04fd430c8');

/** UUID version 5 of `name` (UTF-8) in `namespace` (a UUID string), lower-case hex with hyphens. */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new TypeError(`namespace ${JSON.stringify(namespace)} is not a UUID`);
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
