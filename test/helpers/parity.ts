// Comparing endpoint-script runs with expected outputs, tuple by tuple: one assertion that names the
// first mismatches with their inputs. Shared by the DEVID1 and vendor-recipe parity tests.
import assert from 'node:assert/strict';

/** Every result must equal its expected stdout and exit code, with nothing on stderr. */
export function assertRunsMatch(
  label: string,
  results: readonly { stdout: string; code: number | null; stderr?: string }[],
  tuples: readonly unknown[],
  expected: readonly { stdout: string; code: number }[],
): void {
  assert.equal(results.length, tuples.length, `${label}: one result per tuple`);
  const failures: string[] = [];
  results.forEach((r, i) => {
    const w = expected[i] as { stdout: string; code: number };
    if (r.stdout !== w.stdout || r.code !== w.code || (r.stderr ?? '') !== '') {
      failures.push(
        `#${i} ${JSON.stringify(tuples[i])}\n    want ${JSON.stringify(w)}\n    got  ${JSON.stringify(r)}`,
      );
    }
  });
  assert.equal(
    failures.length,
    0,
    `${label}: ${failures.length} mismatches\n${failures.slice(0, 5).join('\n')}`,
  );
}
