// SPDX-License-Identifier: Apache-2.0
/**
 * `npm run bundle`: writes dist/lambda/index.mjs (+ index.mjs.map) with exactly the options the
 * deployed NodejsFunction uses (lib/lambda-bundling.ts), for the local stack and the benchmark.
 * An optional argument overrides the output directory.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { BUNDLE_FILE_NAME, DEFAULT_BUNDLE_OUTDIR, bundleLambda } from '../lib/lambda-bundling';

async function main(): Promise<void> {
  const outdir = path.resolve(process.argv[2] ?? DEFAULT_BUNDLE_OUTDIR);
  const result = await bundleLambda(outdir);
  if (result.errors.length > 0) {
    process.exitCode = 1;
    return;
  }
  const bundle = path.join(outdir, BUNDLE_FILE_NAME);
  const kib = (file: string): string => `${(statSync(file).size / 1024).toFixed(1)} KiB`;
  process.stdout.write(`bundled ${path.relative(process.cwd(), bundle)} (${kib(bundle)}, map ${kib(`${bundle}.map`)})\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
