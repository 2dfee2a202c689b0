// SPDX-License-Identifier: Apache-2.0
/**
 * Runtime parity: the machine runs Node 20, the function runs on the Lambda runtime the
 * construct sets (NODEJS_24_X). The deployed bundle is built here with the shared bundling
 * function and run by a Node binary of that runtime's major version (tools/lambda-node, pinned
 * from the npm registry), in a fresh process, as the runtime runs it: imported as ESM, then
 * invoked with API Gateway events against the local IAM emulator. An ESM, `require` or
 * built-in problem of the bundle fails here rather than in production.
 */
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { TOTP } from 'otpauth';
import { readDeployedFunction, type DeployedFunction } from '../../bench/deployed-function';
import { lambdaNodeBinary } from '../../bench/lambda-node';
import { BUNDLE_FILE_NAME, PROJECT_ROOT, bundleLambda } from '../../lib/lambda-bundling';
import { startIamEmulator } from '../../local/iam';
import type { IamEmulator } from '../../local/iam';
import { apiEvent, resyncEvent } from '../fixtures/api-gateway-event';

const SECRET = 'JBSWY3DPEHPK3PXPRUNTIMEPARITYAAA';
const SERIAL = 'arn:aws:iam::111122223333:mfa/alice-phone';

interface ChildResult {
  readonly node: string;
  readonly statusCode: number;
  readonly body: string;
  readonly followUps: ReadonlyArray<{ statusCode: number; body: string }>;
}

describe('the deployed bundle on the Lambda runtime\'s Node major', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'mfa-resync-runtime-'));
  const bundle = path.join(work, BUNDLE_FILE_NAME);
  let deployed: DeployedFunction;
  let node: string;
  let iam: IamEmulator;

  beforeAll(async () => {
    deployed = readDeployedFunction();
    node = lambdaNodeBinary();
    const result = await bundleLambda(work);
    expect(result.errors).toEqual([]);
    iam = await startIamEmulator({
      port: 0,
      seed: { accountId: '111122223333', users: [{ userName: 'alice', devices: [{ kind: 'virtual', name: 'alice-phone', secret: SECRET, offsetSteps: 20 }] }] },
    });
  }, 60_000);

  afterAll(async () => {
    await iam?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('the Node binary is of the major version the stack\'s runtime names', () => {
    const version = execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
    expect(deployed.runtimeName).toMatch(/^nodejs\d+\.x$/);
    expect(Number(version.split('.')[0])).toBe(deployed.nodeMajor);
  });

  test('imports the bundle and serves GET and POST with correct 200 answers', async () => {
    const totp = new TOTP({ secret: SECRET });
    const now = Date.now();
    const code1 = totp.generate({ timestamp: now });
    const code2 = totp.generate({ timestamp: now + 30_000 });
    const result = await runBundle({
      bundle,
      event: apiEvent(),
      followUps: [resyncEvent({ code1, code2 })],
    });

    expect(Number(result.node.split('.')[0])).toBe(deployed.nodeMajor);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ devices: [expect.objectContaining({ serialNumber: SERIAL })] });
    expect(result.followUps[0]?.statusCode).toBe(200);
    expect(JSON.parse(result.followUps[0]?.body ?? '{}')).toMatchObject({ status: 'resynchronized', serialNumber: SERIAL });
    expect(iam.device(SERIAL)?.adjustmentSteps).not.toBe(-20);
  }, 30_000);

  /** One fresh process of the Lambda-major Node with the function's environment, as in AWS. */
  function runBundle(input: object): Promise<ChildResult> {
    return new Promise((resolve, reject) => {
      const child = fork(path.join(PROJECT_ROOT, 'bench', 'cold-start-child.mjs'), [], {
        execPath: node,
        execArgv: [],
        env: {
          ...deployed.environment,
          IAM_ENDPOINT: iam.url,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'AKIARUNTIMEPARITY000',
          AWS_SECRET_ACCESS_KEY: 'runtime-parity-secret-not-a-real-secret',
          AWS_SESSION_TOKEN: 'runtime-parity-session-token',
          AWS_LAMBDA_FUNCTION_NAME: 'mfa-resync-runtime-parity',
          HOME: work,
          BENCH_CHILD: JSON.stringify(input),
        },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      let result: ChildResult | undefined;
      child.once('message', (message) => (result = message as ChildResult));
      child.once('error', reject);
      child.once('exit', (code) => (result === undefined ? reject(new Error(`the bundle's process exited with ${code}:\n${output}`)) : resolve(result)));
    });
  }
});
