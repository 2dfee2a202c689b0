// SPDX-License-Identifier: Apache-2.0
/**
 * Makes sure `dist/lambda/index.mjs` is the bundle of the current sources: rebuilt with the
 * deployed esbuild options (`lib/lambda-bundling.ts`, what `npm run bundle` runs) when it is
 * missing or older than anything it is built from.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { BUNDLE_FILE_NAME, DEFAULT_BUNDLE_OUTDIR, DEPS_LOCK_FILE, PROJECT_ROOT, bundleLambda } from '../lib/lambda-bundling';

export const BUNDLE_PATH = path.join(DEFAULT_BUNDLE_OUTDIR, BUNDLE_FILE_NAME);

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

export function bundleIsStale(): boolean {
  if (!existsSync(BUNDLE_PATH)) return true;
  const sources = [path.join(PROJECT_ROOT, 'lambda'), path.join(PROJECT_ROOT, 'lib', 'lambda-bundling.ts'), path.join(PROJECT_ROOT, 'lib', 'iam-policies.ts'), DEPS_LOCK_FILE, path.join(PROJECT_ROOT, 'tsconfig.json')];
  return Math.max(...sources.map(newestMtime)) > statSync(BUNDLE_PATH).mtimeMs;
}

/**
 * Returns true when it had to build. Builds into a sibling directory at the same depth (so the
 * source map's relative paths stay right) and renames into place, so that two stacks starting at
 * once (parallel test files) never import a half-written bundle.
 */
export async function ensureBundle(): Promise<boolean> {
  if (!bundleIsStale()) return false;
  const staging = path.join(path.dirname(DEFAULT_BUNDLE_OUTDIR), `.lambda-${process.pid}`);
  try {
    const result = await bundleLambda(staging);
    if (result.errors.length > 0) throw new Error('bundling the Lambda failed (see esbuild output above)');
    mkdirSync(DEFAULT_BUNDLE_OUTDIR, { recursive: true });
    renameSync(path.join(staging, `${BUNDLE_FILE_NAME}.map`), `${BUNDLE_PATH}.map`);
    renameSync(path.join(staging, BUNDLE_FILE_NAME), BUNDLE_PATH);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return true;
}
