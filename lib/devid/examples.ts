// The worked examples of docs/devid1.md §4, as data: the demo prints them, tests pin them.
// Expected IDs are copied from the spec, never computed here.
import type { DeviceIdInput } from './types.js';

export interface WorkedExample {
  name: string;
  input: DeviceIdInput;
  canonical: string;
  id: string;
}

export const WORKED_EXAMPLES: readonly WorkedExample[] = [
  {
    name: '1: colon MAC, padded baseboard serial, no salt',
    input: { mac: '00:1a:2b:3c:4d:5e', serials: { BB: '  CZC1234XYZ  ' } },
    canonical: 'DEVID1|001A2B3C4D5E|BB:CZC1234XYZ|',
    id: '244e9c1dba980da994b0d24b29f7df91b24134f467e8e47a6ebbf6bbc5d79ca4',
  },
  {
    name: '2: dash MAC, lower-case serial, site-name salt',
    input: { mac: '00-1A-2B-3C-4D-5E', serials: { BB: 'czc1234xyz' }, salt: 'Acme Site' },
    canonical:
      'DEVID1|001A2B3C4D5E|BB:CZC1234XYZ|09cecee9adb02b4aa8ab89ce9b1dcb75e08083f6e6abca088b54864f65ea8f61',
    id: '59e9271050d4cceb1b315f1aadbe4aa3f73a4478fa964ea23d60f773825bad9e',
  },
  {
    name: '3: Cisco MAC, Dell-style serial, account UID salt',
    input: {
      mac: '001A.2B3C.4D5E',
      serials: { BB: '/7XYZ123/CN1296314A0123/' },
      salt: 'a1b2c3d4-0000-4000-8000-000000000001',
    },
    canonical:
      'DEVID1|001A2B3C4D5E|BB:7XYZ123CN1296314A0123|41788214c1500f29e96104aa9a7969ed8279f45956a675cc596f340d8dbaf726',
    id: 'f65c806fd58462681752a281c52eb78a42b57eff77470ef4d3e801a228a8b209',
  },
  {
    name: '4: VMware system serial, non-ASCII salt (NFC)',
    input: { mac: '00:1A:2B:3C:4D:5E', serials: { SYS: 'VMware-56 4d 2f 1a' }, salt: 'M\u00fcller GmbH' },
    canonical:
      'DEVID1|001A2B3C4D5E|SYS:VMWARE564D2F1A|a71002a2627289b53ca055ee90e213cad79f4050a55a5c1ad35ea97f22dbbfdb',
    id: '0de2854efe8d68b420f1b3e34e9955e0d2ca766bbb3fc3cbc85a2588e4d7ffe3',
  },
  {
    name: '5: Unicode traps in the serial (ı ſ ß K-sign), Japanese salt',
    input: {
      mac: '00:1A:2B:3C:4D:5E',
      serials: { BB: '\u0131d-\u017fn \u00df \u212a x9' },
      salt: '\u6771\u4eac\u30aa\u30d5\u30a3\u30b9',
    },
    canonical: 'DEVID1|001A2B3C4D5E|BB:DNX9|d30d997914ed8bf031be35d1780c67d65dff19bc8b1a7ee4bc665aab11fb80ad',
    id: '7cc2f8aa523dd0e3f574e6baab782696291f0295c1cea4d2d84b2af6454d7d87',
  },
];

/** The deep-link template of the reference integration (Bright Antivirus, whitepaper). */
export const EXAMPLE_LINK_TEMPLATE = 'https://partner.bright-av.web/console/device?id={ID}';
