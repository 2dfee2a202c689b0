// SPDX-License-Identifier: Apache-2.0
/**
 * How the Lambda handler is bundled, defined once and used twice:
 *
 * - `nodejsFunctionBundling()` gives `NodejsFunction` its `bundling` props (CDK runs the esbuild
 *   CLI locally; there is no Docker on the build machines);
 * - `bundleLambda()` runs esbuild's JS API with the same options, for `npm run bundle`
 *   (`dist/lambda/index.mjs`), which the local stack and the benchmark execute.
 *
 * Both are derived from `LAMBDA_BUNDLE`, and `test/infra/lambda-bundling.test.ts` proves that
 * the deployed asset and the script's output are the same bytes, so what runs locally is what
 * runs in AWS.
 */
import * as path from 'node:path';
import { build, type BuildOptions, type BuildResult } from 'esbuild';
import { LogLevel, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/** The repository root: the directory holding package.json, package-lock.json and tsconfig.json. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');
export const DEPS_LOCK_FILE = path.join(PROJECT_ROOT, 'package-lock.json');
export const HANDLER_ENTRY = path.join(PROJECT_ROOT, 'lambda', 'handler.ts');
/** NodejsFunction names an ESM bundle `index.mjs` (its handler is then `index.handler`). */
export const BUNDLE_FILE_NAME = 'index.mjs';
export const DEFAULT_BUNDLE_OUTDIR = path.join(PROJECT_ROOT, 'dist', 'lambda');

/**
 * ESM has no `require`, but bundled CommonJS dependencies still call `require('node:…')` for
 * built-ins; without this esbuild's shim throws "Dynamic require of … is not supported" at run
 * time. The alias keeps the banner's import from colliding with a bundled `createRequire`.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __mfaResyncCreateRequire } from 'node:module'; const require = __mfaResyncCreateRequire(import.meta.url);";

/**
 * Packages replaced in the bundle by code under lambda/bundle-overrides/, each for a part of the
 * SDK a Lambda never runs (the reasons and the measured savings are in those files and in
 * docs/performance.md). Paths are relative to the project root, where both CDK and
 * `bundleLambda()` run esbuild.
 */
export const LAMBDA_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': './lambda/bundle-overrides/credential-provider-node.ts',
  'node:http': './lambda/bundle-overrides/node-http.ts',
};

/**
 * The single source of the bundling options.
 *
 * - `target: node24` matches the function runtime (NODEJS_24_X), so esbuild downlevels nothing.
 * - ESM output with `module` before `main`: packages that ship an ES build (the AWS SDK, middy,
 *   Powertools) are bundled from it, which tree-shakes better than their CommonJS build.
 * - `minify` keeps the cold-start parse small; `keepNames` keeps class and function names so
 *   stack traces and `error.name`-style logging stay readable after minification.
 * - Source maps are linked (`index.mjs.map`, with sources content); the function sets
 *   `NODE_OPTIONS=--enable-source-maps` so stack traces point at `lambda/*.ts`.
 * - No externals: the AWS SDK is bundled instead of taken from the runtime. The runtime's copy
 *   is a version AWS chooses and updates without notice; bundling pins the exact versions in
 *   package-lock.json, so the SDK behaviour the unit tests and the local stack exercise (retry
 *   classification, error shapes, F-2.x of the research) is the one deployed, and the local
 *   bundle is a faithful stand-in for the Lambda.
 */
export const LAMBDA_BUNDLE = {
  target: 'node24',
  alias: LAMBDA_ALIASES,
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: true,
  keepNames: true,
  banner: ESM_REQUIRE_BANNER,
} as const;

/** `NodejsFunction` `bundling` props: local esbuild, ESM, the options above. */
export function nodejsFunctionBundling(): BundlingOptions {
  return {
    format: OutputFormat.ESM,
    target: LAMBDA_BUNDLE.target,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    minify: LAMBDA_BUNDLE.minify,
    sourceMap: LAMBDA_BUNDLE.sourceMap,
    keepNames: LAMBDA_BUNDLE.keepNames,
    banner: LAMBDA_BUNDLE.banner,
    // CDK renders each entry as `--alias:<package>=<path>`.
    esbuildArgs: { '--alias': Object.entries(LAMBDA_BUNDLE.alias).map(([from, to]) => `${from}=${to}`) },
    // With bundleAwsSDK and no externalModules, CDK passes no --external at all.
    bundleAwsSDK: true,
    forceDockerBundling: false,
    logLevel: LogLevel.WARNING,
  };
}

/**
 * esbuild JS API options equivalent to what CDK passes to the esbuild CLI for
 * `nodejsFunctionBundling()`: `esbuild --bundle <entry> --target=… --platform=node
 * --format=esm --outfile=<dir>/index.mjs --minify --sourcemap --keep-names --banner:js=…
 * --main-fields=… --alias:…=…`, run from the project root (which decides the tsconfig esbuild finds).
 */
export function esbuildOptions(outdir: string): BuildOptions {
  return {
    entryPoints: [HANDLER_ENTRY],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: LAMBDA_BUNDLE.target,
    outfile: path.join(outdir, BUNDLE_FILE_NAME),
    minify: LAMBDA_BUNDLE.minify,
    sourcemap: LAMBDA_BUNDLE.sourceMap,
    keepNames: LAMBDA_BUNDLE.keepNames,
    banner: { js: LAMBDA_BUNDLE.banner },
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    alias: { ...LAMBDA_BUNDLE.alias },
    external: [],
    logLevel: 'warning',
  };
}

/** Bundles the handler into `outdir/index.mjs` (+ `index.mjs.map`) exactly as the deployed asset. */
export function bundleLambda(outdir: string = DEFAULT_BUNDLE_OUTDIR): Promise<BuildResult> {
  return build(esbuildOptions(outdir));
}
