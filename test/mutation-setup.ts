// Test setup for mutation runs (stryker.config.json): the same pinned environment as test/setup.ts,
// without building the PowerShell host, which the unit tests under mutation never use.
import { clearSaltCache } from '../lib/devid/recipe.js';
import { clearFleetMemo } from '../lib/fleet/memo.js';
import { clearTemplateCache } from '../lib/render/handlebars.js';

process.env.NO_COLOR = '1';
process.env.LC_ALL = 'C';
process.env.TZ = 'UTC';
delete process.env.FORCE_COLOR;

// Stryker runs many variants of the code in one process: module-level caches (salt hashes, the
// Handlebars environment and compiled templates, the fleet memo tables) would carry one variant's
// results into the next test, hiding the variant or failing an innocent test. Each test starts
// with empty caches.
export const mochaHooks = {
  beforeEach() {
    clearSaltCache();
    clearTemplateCache();
    clearFleetMemo();
  },
};
