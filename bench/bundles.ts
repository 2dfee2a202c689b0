// SPDX-License-Identifier: Apache-2.0
/**
 * The three bundles the benchmark compares, built into a temporary directory:
 *
 * 1. `deployed`: `bundleLambda()`, the options the stack deploys (lib/lambda-bundling.ts).
 * 2. `baseline`: the same handler in a `NodejsFunction` with default bundling, taken from the
 *    asset CDK itself builds in a throwaway app with the feature flags `cdk init` writes
 *    (so `@aws-sdk/*` and `@smithy/*` are external: the runtime provides them). Its externals
 *    are then loaded through NODE_PATH from this project's node_modules, as Lambda loads them
 *    through NODE_PATH from /var/runtime/node_modules.
 * 3. `empty`: a handler that imports nothing, bundled with the deployed options (the floor).
 *
 * Each row also gets a "warm" bundle (bench/warm-entry.ts) built with that row's options, so the
 * warm benchmark can hand the handler an IAM directory that answers at once.
 */
import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { build, type BuildOptions } from 'esbuild';
import { BUNDLE_FILE_NAME, DEPS_LOCK_FILE, HANDLER_ENTRY, PROJECT_ROOT, bundleLambda, esbuildOptions } from '../lib/lambda-bundling';

export type RowKey = 'deployed' | 'baseline' | 'empty';

export interface BenchBundle {
  readonly key: RowKey;
  readonly label: string;
  /** The file Lambda would import. */
  readonly file: string;
  readonly bytes: number;
  /** The same handler source plus its factory, bundled with this row's options. */
  readonly warmFile: string;
  /** Where the row's external packages come from at run time (the baseline's SDK). */
  readonly nodePath?: string;
}

const WARM_ENTRY = path.join(PROJECT_ROOT, 'bench', 'warm-entry.ts');
const EMPTY_ENTRY = path.join(PROJECT_ROOT, 'bench', 'empty-handler.ts');
const NODE_MODULES = path.join(PROJECT_ROOT, 'node_modules');

/**
 * esbuild options equal to the CLI call CDK makes for a default `NodejsFunction` on a Node 24
 * runtime under the recommended flags: `esbuild --bundle <entry> --target=node24 --platform=node
 * --outfile=<dir>/index.js --external:@aws-sdk/* --external:@smithy/*` (no format flag, so
 * CommonJS; no minify, no source map). `buildBundles` checks these reproduce CDK's asset byte for
 * byte before using them for the baseline's warm bundle.
 */
function defaultNodejsFunctionOptions(entry: string, outdir: string): BuildOptions {
  return {
    entryPoints: [entry],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    target: 'node24',
    outfile: path.join(outdir, 'index.js'),
    external: ['@aws-sdk/*', '@smithy/*'],
    logLevel: 'warning',
  };
}

/** Synthesizes a throwaway app with a default `NodejsFunction` and copies its asset to `outdir`. */
function synthesizeDefaultAsset(work: string, outdir: string): string {
  const cdkOut = path.join(work, 'baseline-cdk.out');
  const app = new App({ outdir: cdkOut, context: { ...CURRENTLY_RECOMMENDED_FLAGS } });
  const stack = new Stack(app, 'Baseline');
  new NodejsFunction(stack, 'Handler', {
    entry: HANDLER_ENTRY,
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: DEPS_LOCK_FILE,
  });
  app.synth();
  const assets = readdirSync(cdkOut).filter((name) => name.startsWith('asset.'));
  if (assets.length !== 1) throw new Error(`expected one asset in the baseline app, found ${assets.length}`);
  cpSync(path.join(cdkOut, assets[0]!), outdir, { recursive: true });
  const file = path.join(outdir, 'index.js');
  statSync(file);
  return file;
}

async function esbuild(options: BuildOptions): Promise<void> {
  const result = await build(options);
  if (result.errors.length > 0) throw new Error(`esbuild failed for ${String(options.entryPoints)}`);
}

export async function buildBundles(work: string, log: (line: string) => void): Promise<BenchBundle[]> {
  const dir = (name: string): string => path.join(work, name);

  await bundleLambda(dir('deployed'));
  await esbuild({ ...esbuildOptions(dir('deployed-warm')), entryPoints: [WARM_ENTRY] });

  const baselineFile = synthesizeDefaultAsset(work, dir('baseline'));
  await esbuild(defaultNodejsFunctionOptions(HANDLER_ENTRY, dir('baseline-check')));
  const reproduced = readFileSync(path.join(dir('baseline-check'), 'index.js')).equals(readFileSync(baselineFile));
  if (!reproduced) throw new Error('the reproduced NodejsFunction default options no longer match CDK\'s asset; update defaultNodejsFunctionOptions');
  log('baseline: NodejsFunction default asset synthesized; its esbuild options reproduced byte for byte');
  await esbuild(defaultNodejsFunctionOptions(WARM_ENTRY, dir('baseline-warm')));

  await esbuild({ ...esbuildOptions(dir('empty')), entryPoints: [EMPTY_ENTRY] });

  const size = (file: string): number => statSync(file).size;
  const deployedFile = path.join(dir('deployed'), BUNDLE_FILE_NAME);
  const emptyFile = path.join(dir('empty'), BUNDLE_FILE_NAME);
  return [
    { key: 'deployed', label: '(1) deployed bundle', file: deployedFile, bytes: size(deployedFile), warmFile: path.join(dir('deployed-warm'), BUNDLE_FILE_NAME) },
    {
      key: 'baseline',
      label: '(2) NodejsFunction defaults',
      file: baselineFile,
      bytes: size(baselineFile),
      warmFile: path.join(dir('baseline-warm'), 'index.js'),
      nodePath: NODE_MODULES,
    },
    { key: 'empty', label: '(3) empty handler', file: emptyFile, bytes: size(emptyFile), warmFile: emptyFile },
  ];
}
