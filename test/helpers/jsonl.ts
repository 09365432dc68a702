// Runs `devid hash --jsonl`'s stream hasher over input chunks and returns its output lines parsed,
// with the summary. Shared by the JSON Lines tests.
import { Readable } from 'node:stream';
import { hashJsonlStream } from '../../lib/devid/jsonl.js';

export async function hashJsonlChunks(
  chunks: (string | Buffer)[],
): Promise<{ lines: unknown[]; summary: { lines: number; badLines: number } }> {
  let out = '';
  const summary = await hashJsonlStream(Readable.from(chunks, { objectMode: true }), (c) => {
    out += c;
  });
  return {
    lines: out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
    summary,
  };
}
