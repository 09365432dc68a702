// Test harness setup: pins the environment so every run sees the same locale, zone and colour.
// Loaded by mocha before any test file (see .mocharc.json); its root hook prepares the PowerShell host.
import { ensurePshost } from './helpers/endpoint.js';

process.env.NO_COLOR = '1';
process.env.LC_ALL = 'C';
process.env.TZ = 'UTC';
delete process.env.FORCE_COLOR;

export const mochaHooks = {
  beforeAll(this: Mocha.Context) {
    // A cold NuGet restore can take minutes; warm, the build is a few seconds or a no-op.
    this.timeout(600000);
    ensurePshost();
  },
};
