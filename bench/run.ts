// Runs every benchmark in bench/ in sequence; each prints its own figures and ratios.
// Not a test: numbers depend on the machine, so nothing here asserts on time.
import { benchCpt } from './cpt.js';
import { benchDevid, benchJsonl } from './devid.js';
import { benchEndpoint } from './endpoint.js';
import { benchFleet } from './fleet.js';
import { benchRecipes } from './recipes.js';
import { benchStartup } from './startup.js';

const only = process.argv[2];
if (!only || only === 'devid') {
  benchDevid();
  benchJsonl();
}
if (!only || only === 'cpt') await benchCpt();
if (!only || only === 'endpoint') benchEndpoint();
if (!only || only === 'startup') benchStartup();
if (!only || only === 'fleet') await benchFleet();
if (!only || only === 'recipes') await benchRecipes();
