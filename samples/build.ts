/**
 * Builds every sample bundle: `samples/<id>/positive.tar.gz` and `negative.tar.gz` for each
 * scenario, and the README bundles in `samples/bundles/`. Deterministic: the same sources give
 * byte-identical archives.
 *
 *   node dist/samples/build.js [--only <id>[,<id>…]] [output-dir]   (default: the repository's samples/ folder)
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BundleSpec, writeBundle } from './lib/bundle.js';
import { README_BUNDLES } from './readme-bundles.js';
import { SCENARIOS, SCENARIO_IDS } from './scenarios.js';

export interface BuiltFile {
  /** Path relative to the output folder. */
  file: string;
  bytes: number;
  ms: number;
}

/** Every archive the build writes, relative to the output folder, with its spec. */
export function plannedFiles(): { file: string; spec: () => BundleSpec }[] {
  const out: { file: string; spec: () => BundleSpec }[] = [];
  for (const id of SCENARIO_IDS) {
    out.push({ file: `${id}/positive.tar.gz`, spec: SCENARIOS[id].positive });
    out.push({ file: `${id}/negative.tar.gz`, spec: SCENARIOS[id].negative });
  }
  for (const [name, spec] of Object.entries(README_BUNDLES)) out.push({ file: `bundles/${name}`, spec });
  return out;
}

/** Write every sample archive under `outDir`. Archives are written concurrently (gzip runs off-thread). */
export async function buildAll(outDir: string, only?: string[]): Promise<BuiltFile[]> {
  const planned = plannedFiles().filter(({ file }) => !only || only.some((id) => file.startsWith(`${id}/`)));
  return Promise.all(planned.map(async ({ file, spec }) => {
    const started = performance.now();
    const bytes = await writeBundle(spec(), join(outDir, file));
    return { file, bytes, ms: Math.round(performance.now() - started) };
  }));
}

/** The repository's samples/ folder, found from this file whether it runs from dist/ or from source. */
function samplesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'samples');
    dir = dirname(dir);
  }
  throw new Error('cannot find the repository root (package.json) above the build script');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--only');
  const only = at >= 0 ? args.splice(at, 2)[1]?.split(',').filter(Boolean) : undefined;
  const out = resolve(args[0] ?? samplesDir());
  const started = performance.now();
  const built = await buildAll(out, only);
  for (const b of built) process.stdout.write(`${b.file.padEnd(45)} ${(b.bytes / 1024).toFixed(0).padStart(7)} KiB  ${String(b.ms).padStart(5)} ms\n`);
  process.stdout.write(`${built.length} archives in ${out} (${Math.round(performance.now() - started)} ms)\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((e: unknown) => {
    process.stderr.write(`samples build failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(1);
  });
}
