// Tests of lib/devid/collect-endpoint.ts: the parser of the hasher's DEVID_TRACE output, which
// `devid collect` uses on macOS and Windows, and a real run of the sh hasher through it.
import assert from 'node:assert/strict';
import { parseHasherOutput } from '../../lib/devid/collect-endpoint.js';

describe('parseHasherOutput', () => {
  const id = 'a'.repeat(64);
  const cases: [string, string, ReturnType<typeof parseHasherOutput> | RegExp][] = [
    ['an ID', `nic=en0\n${id}\n`, { nic: 'en0', result: { id }, runner: 'r' }],
    ['CRLF from Windows', `nic=Ethernet\r\n${id}\r\n`, { nic: 'Ethernet', result: { id }, runner: 'r' }],
    ['an error code', 'nic=\nNO_NIC\n', { nic: '', result: { error: 'NO_NIC' }, runner: 'r' }],
    ['no trace line', `${id}\n`, /output contract/],
    ['an extra line', `nic=en0\nnoise\n${id}\n`, /output contract/],
    ['neither ID nor code', 'nic=en0\nhello world\n', /neither an ID nor an error code/],
  ];
  for (const [name, stdout, want] of cases) {
    it(name, () => {
      if (want instanceof RegExp) assert.throws(() => parseHasherOutput(stdout, 'r'), want);
      else assert.deepEqual(parseHasherOutput(stdout, 'r'), want);
    });
  }
});
