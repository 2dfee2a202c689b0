// SPDX-License-Identifier: Apache-2.0
/**
 * The local bundle (`npm run bundle`, lib/lambda-bundling.ts `bundleLambda`) must be the bundle
 * CDK deploys: same bytes of index.mjs, and a source map that differs at most in how its
 * `sources` paths are written (they are relative to each output directory).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isBuiltin } from 'node:module';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { build } from 'esbuild';
import { BUNDLE_FILE_NAME, ESM_REQUIRE_BANNER, bundleLambda, esbuildOptions } from '../../lib/lambda-bundling';
import { MfaResyncStack } from '../../lib/mfa-resync-stack';

interface SourceMap {
  sources: string[];
  sourcesContent?: string[];
  mappings: string;
  names: string[];
}

describe('lambda bundling', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'mfa-resync-bundle-'));
  let cdkAssetDir: string;
  let scriptOutDir: string;

  beforeAll(async () => {
    // Bundling is on here (no aws:cdk:bundling-stacks context): NodejsFunction runs esbuild.
    const app = new App({ outdir: path.join(work, 'cdk.out') });
    const stack = new MfaResyncStack(app, 'BundlingTest');
    const template = Template.fromStack(stack);
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0] as any;
    const assetHash = String(fn.Properties.Code.S3Key).replace(/\.zip$/, '');
    cdkAssetDir = path.join(work, 'cdk.out', `asset.${assetHash}`);

    scriptOutDir = path.join(work, 'script', 'lambda');
    const result = await bundleLambda(scriptOutDir);
    expect(result.errors).toEqual([]);
  }, 60_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('the deployed asset is exactly index.mjs and its source map', () => {
    expect(readdirSync(cdkAssetDir).sort()).toEqual([BUNDLE_FILE_NAME, `${BUNDLE_FILE_NAME}.map`]);
  });

  test('npm run bundle produces the same index.mjs bytes as the NodejsFunction asset', () => {
    const deployed = readFileSync(path.join(cdkAssetDir, BUNDLE_FILE_NAME));
    const local = readFileSync(path.join(scriptOutDir, BUNDLE_FILE_NAME));
    expect(local.length).toBe(deployed.length);
    expect(local.equals(deployed)).toBe(true);
  });

  test('the source maps agree once their relative source paths are resolved', () => {
    const load = (dir: string): SourceMap => JSON.parse(readFileSync(path.join(dir, `${BUNDLE_FILE_NAME}.map`), 'utf8'));
    const deployed = load(cdkAssetDir);
    const local = load(scriptOutDir);
    expect(local.mappings).toBe(deployed.mappings);
    expect(local.names).toEqual(deployed.names);
    expect(local.sourcesContent).toEqual(deployed.sourcesContent);
    // esbuild writes sources relative to the output directory; CDK bundles in a temporary
    // directory it renames afterwards, so resolve against the (same-depth) directory it used.
    const resolveFrom = (dir: string, map: SourceMap): string[] => map.sources.map((source) => path.resolve(dir, source));
    expect(resolveFrom(scriptOutDir, local)).toEqual(resolveFrom(cdkAssetDir, deployed));
    expect(local.sources.some((source) => source.endsWith(path.join('lambda', 'handler.ts')))).toBe(true);
  });

  test('the bundle is ESM with the createRequire banner, minified, and links its source map', () => {
    const code = readFileSync(path.join(scriptOutDir, BUNDLE_FILE_NAME), 'utf8');
    expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
    expect(code.trimEnd().endsWith(`//# sourceMappingURL=${BUNDLE_FILE_NAME}.map`)).toBe(true);
    // Minified: long lines (the few line breaks left are inside template literals and comments).
    expect(code.length / code.split('\n').length).toBeGreaterThan(2000);
    expect(code).toMatch(/export\s*\{[^}]*\bas handler\b|export\s*\{\s*handler\b/);
  });

  test('the AWS SDK is bundled, not imported from the runtime: only Node built-ins stay external', async () => {
    const result = await build({ ...esbuildOptions(path.join(work, 'metafile')), metafile: true, write: false });
    const externals = Object.values(result.metafile.outputs).flatMap((output) =>
      output.imports.filter((imported) => imported.external).map((imported) => imported.path),
    );
    expect(externals.filter((name) => !isBuiltin(name))).toEqual([]);
    expect(Object.keys(result.metafile.inputs).some((input) => input.includes('node_modules/@aws-sdk/client-iam/'))).toBe(true);
  });
});
