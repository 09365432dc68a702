// Test harness setup: pins the environment so every run sees the same locale, zone and colour, and
// ends the run with one line naming every group skipped for a missing tool (see helpers/tools.ts).
import { skipSummary } from './helpers/tools.js';

process.env.NO_COLOR = '1';
process.env.LC_ALL = 'C';
process.env.TZ = 'UTC';
delete process.env.FORCE_COLOR;

export const mochaHooks = {
  afterAll() {
    console.log(`\n  ${skipSummary()}`);
  },
};
