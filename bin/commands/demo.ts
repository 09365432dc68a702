// `rmmkit demo`: the main job on the bundled examples, for the README's Quick start: builds
// policies/*.yaml into out/, then the DEVID1 worked examples with their deep links, and this machine.
import { collectLinux } from '../../lib/devid/collect-linux.js';
import { EXAMPLE_LINK_TEMPLATE, WORKED_EXAMPLES } from '../../lib/devid/examples.js';
import { buildDeepLink, templateHost } from '../../lib/devid/link.js';
import { deviceId } from '../../lib/devid/recipe.js';
import type { CommandContext } from '../context.js';
import { describeCollected, identifyCollected } from './devid.js';

export function demoCommand(ctx: CommandContext) {
  return {
    command: 'demo',
    describe: 'Build the bundled examples into out/, then show DEVID1 examples and this machine',
    builder: (y: import('yargs').Argv) => y,
    handler: () => {
      ctx.action = async () => {
        await buildExamples(ctx);
        const host = templateHost(EXAMPLE_LINK_TEMPLATE) as string;
        let failures = 0;
        ctx.out(`DEVID1 worked examples (docs/devid1.md §4), linked with ${EXAMPLE_LINK_TEMPLATE}`);
        for (const ex of WORKED_EXAMPLES) {
          const r = deviceId(ex.input);
          const ok = 'id' in r && r.id === ex.id && r.canonical === ex.canonical;
          if (!ok) failures++;
          ctx.out(`\n  example ${ex.name}`);
          ctx.out(`    canonical ${'canonical' in r ? r.canonical : r.error}`);
          ctx.out(
            `    id        ${'id' in r ? r.id : r.error}  ${ok ? 'matches the spec' : `MISMATCH, spec says ${ex.id}`}`,
          );
          if ('id' in r) ctx.out(`    link      ${buildDeepLink(EXAMPLE_LINK_TEMPLATE, r.id, { host })}`);
        }
        ctx.out('\nThis machine');
        if (process.platform !== 'linux') {
          ctx.out(
            `  ${process.platform}: collect with the endpoint script (rmmkit devid script); not run by the demo`,
          );
        } else {
          const collected = await collectLinux();
          const identified = identifyCollected(collected, undefined, (id) =>
            buildDeepLink(EXAMPLE_LINK_TEMPLATE, id, { host }),
          );
          for (const line of describeCollected(collected, identified)) ctx.out(`  ${line}`);
        }
        if (failures > 0) {
          ctx.err(`rmmkit: ${failures} worked example(s) did not reproduce; this build is broken`);
          return 1;
        }
        return 0;
      };
    },
  };
}

/** The example integration files, in the README's order. */
export const DEMO_EXAMPLES = ['bright-antivirus', 'nimbus-linux-agent'] as const;

/** Builds each example integration file into out/<name>/ (replacing an earlier demo build). */
async function buildExamples(ctx: CommandContext): Promise<void> {
  const { join } = await import('node:path');
  const { packageRoot } = await import('../../lib/paths.js');
  const { loadIntegration } = await import('../../lib/integration/load.js');
  const { buildIntegration } = await import('../../lib/integration/build.js');
  const { writeTreeAtomic } = await import('../../lib/io/files.js');
  const { describeTree } = await import('./integration.js');
  for (const name of DEMO_EXAMPLES) {
    const file = join(packageRoot(), 'policies', `${name}.yaml`);
    const integration = await loadIntegration(file);
    const built = await buildIntegration(integration);
    const out = join('out', name);
    await writeTreeAtomic(join(ctx.io.cwd, out), built.files, { force: true });
    ctx.out(`Built policies/${name}.yaml (rmmkit build policies/${name}.yaml --out ${out}):`);
    for (const line of describeTree(out, built.files)) ctx.out(`  ${line}`);
    for (const k of built.files.keys())
      if (k.endsWith('.pcy'))
        ctx.out(
          `  Monitoring policy: ${out}/${k} (rmmkit's profile: Datto's .pcy layout is not public); ` +
            `enter it in the Datto UI from the build sheet ${out}/${k.replace(/\.pcy$/, '.sheet.html')}`,
        );
    ctx.out('');
  }
}
