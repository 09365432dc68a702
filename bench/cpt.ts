// Benchmark of component pack/unpack: 1,000 generated components (a 1 MB attachment on every tenth)
// through rmmkit's library path (what the CLI runs), against python3's zipfile CLI on the same files.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { readCpt, writeCpt } from '../lib/component/cpt.js';
import { newComponent } from '../lib/component/index.js';
import { componentToSource, readSourceDir } from '../lib/component/source.js';
import { writeFileAtomic, writeTreeAtomic } from '../lib/io/files.js';
import { packageRoot } from '../lib/paths.js';

const N = Number(process.env.BENCH_CPT_N ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** Deterministic pseudo-random bytes: an installer is mostly compressed data already. */
function payload(size: number, seed: number): Uint8Array {
  const b = Buffer.alloc(size);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < size; i += 4) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    b.writeUInt32LE(s >>> 0, i);
  }
  return b;
}

async function generate(dir: string): Promise<string[]> {
  const icon = readFileSync(join(packageRoot(), 'test', 'fixtures', 'component', 'current-monitor.cpt'));
  const dirs: string[] = [];
  for (let i = 0; i < N; i++) {
    const c = newComponent({
      general: {
        name: `Bench component ${i} [WIN]`,
        category: i % 10 === 0 ? 'applications' : 'scripts',
        description: `Generated component number ${i}.\nIt does nothing useful.`,
        uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        hash: '',
        version: '1',
        timeout: '600',
        securityLevel: '1',
        installType: 'powershell',
      },
      variables: [
        {
          name: 'Mode',
          type: 'map',
          direction: 'false',
          description: 'mode',
          defaultVal: 'Fast',
          options: [
            { name: 'Fast', value: 'f' },
            { name: 'Safe', value: 's' },
          ],
        },
        { name: 'Verbose', type: 'boolean', direction: 'false', description: '', defaultVal: 'false' },
      ],
      postConditions: [{ consequence: 'warn', resource: 'stderr', text: 'denied', qualifier: 'found' }],
      body: `$ErrorActionPreference = 'Stop'\n${'Write-Host "step $env:Mode"\n'.repeat(40 + (i % 50))}exit 0\n`,
      icon: icon.subarray(0, 300),
      attachments: i % 10 === 0 ? [{ name: 'setup.msi', data: payload(1024 * 1024, i + 1) }] : [],
    });
    const d = join(dir, `c${i}`);
    await writeTreeAtomic(d, componentToSource(c));
    dirs.push(d);
  }
  return dirs;
}

const PY = `
import sys, time, os, zipfile, json
mode, listfile, outdir = sys.argv[1], sys.argv[2], sys.argv[3]
jobs = json.load(open(listfile))
t0 = time.perf_counter()
for src, dst in jobs:
    if mode == "c":
        files = [os.path.join(src, f) for f in sorted(os.listdir(src)) if f != "attachments"]
        att = os.path.join(src, "attachments")
        if os.path.isdir(att):
            files += [os.path.join(att, f) for f in sorted(os.listdir(att))]
        zipfile.main(["-c", dst] + files)
    elif mode == "c6":
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
            for root, _, names in os.walk(src):
                for f in sorted(names):
                    p = os.path.join(root, f)
                    z.write(p, os.path.relpath(p, src))
    else:
        zipfile.main(["-e", src, dst])
print(json.dumps((time.perf_counter() - t0) * 1000))
`;

function python(mode: string, jobs: [string, string][], tmp: string): number {
  const list = join(tmp, `jobs-${mode}.json`);
  writeFileSync(list, JSON.stringify(jobs));
  const r = spawnSync('python3', ['-c', PY, mode, list, tmp], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 ${mode} failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}

export async function benchCpt(): Promise<void> {
  const probe = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  console.log(
    `# cpt: ${N} components (1 MB attachment on every tenth), Node ${process.version}, ${probe.stdout.trim() || 'no python3'}, ${cpus()[0]?.model ?? 'unknown CPU'}`,
  );
  const tmp = join(packageRoot(), 'bench', '.tmp', 'cpt');
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    const dirs = await generate(join(tmp, 'src'));
    const fresh = (name: string) => {
      const d = join(tmp, name);
      rmSync(d, { recursive: true, force: true });
      mkdirSync(d, { recursive: true });
      return d;
    };
    const packOurs = async () => {
      const out = fresh('cpt');
      const t0 = performance.now();
      for (let i = 0; i < dirs.length; i++)
        await writeFileAtomic(join(out, `c${i}.cpt`), writeCpt(await readSourceDir(dirs[i]!)));
      return performance.now() - t0;
    };
    const unpackOurs = async () => {
      const out = fresh('unpacked');
      const t0 = performance.now();
      for (let i = 0; i < dirs.length; i++) {
        const f = join(tmp, 'cpt', `c${i}.cpt`);
        await writeTreeAtomic(join(out, `c${i}`), componentToSource(readCpt(f, await readFile(f))));
      }
      return performance.now() - t0;
    };
    const packPy = (mode: string) => {
      const out = fresh(`zip-${mode}`);
      return python(
        mode,
        dirs.map((d, i) => [d, join(out, `c${i}.zip`)]),
        tmp,
      );
    };
    const unpackPy = () => {
      const out = fresh('pyunpacked');
      return python(
        'e',
        dirs.map((_, i) => [join(tmp, 'zip-c6', `c${i}.zip`), join(out, `c${i}`)]),
        tmp,
      );
    };
    let [pack, unpack, pyPack, pyPack6, pyUnpack] = Array<number>(5).fill(Number.POSITIVE_INFINITY) as [
      number,
      number,
      number,
      number,
      number,
    ];
    // Interleaved rounds, best of each: a noisy machine slows one round, rarely all.
    for (let r = 0; r < ROUNDS; r++) {
      pack = Math.min(pack, await packOurs());
      pyPack = Math.min(pyPack, packPy('c'));
      pyPack6 = Math.min(pyPack6, packPy('c6'));
      unpack = Math.min(unpack, await unpackOurs());
      pyUnpack = Math.min(pyUnpack, unpackPy());
    }
    const count = readdirSync(join(tmp, 'cpt')).length;
    const line = (what: string, ms: number) =>
      console.log(
        `${what.padEnd(48)} ${ms.toFixed(0).padStart(7)} ms  (${((count / ms) * 1000).toFixed(0)} components/s)`,
      );
    line('pack    rmmkit (deflate 6, pako, Datto bytes)', pack);
    line('pack    python3 -m zipfile -c (stored)', pyPack);
    line('pack    python3 zipfile, deflate 6 (C zlib)', pyPack6);
    line('unpack  rmmkit (verify CRC, parse, source folder)', unpack);
    line('unpack  python3 -m zipfile -e', pyUnpack);
    console.log(
      `ratio   pack rmmkit / python3 -m zipfile -c        ${(pack / pyPack).toFixed(2)}   (target <= 1.5)`,
    );
    console.log(`ratio   pack rmmkit / python3 zipfile deflate 6    ${(pack / pyPack6).toFixed(2)}`);
    console.log(`ratio   unpack rmmkit / python3 -m zipfile -e      ${(unpack / pyUnpack).toFixed(2)}`);
    console.log(
      `(best of ${ROUNDS} interleaved rounds; python timed inside one interpreter, without its start-up)`,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchCpt();
