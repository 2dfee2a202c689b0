// SPDX-License-Identifier: Apache-2.0
/**
 * The "whole local stack" column: `npm start`'s stack (local gateway with the Cognito
 * authorizer, the deployed bundle, the IAM emulator) in its own process on ephemeral loopback
 * ports, driven over HTTP with a fixed number of `GET /v1/me/mfa-devices` requests.
 * Only loopback addresses are ever targeted.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../lib/lambda-bundling';
import { quantile } from './stats';

export interface StackFigures {
  readonly requests: number;
  readonly concurrency: number;
  readonly requestsPerSecond: number;
  readonly p99Ms: number;
}

interface SessionFile {
  readonly apiUrl: string;
  readonly users: ReadonlyArray<{ readonly username: string; readonly idToken: string }>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export async function measureLocalStack(work: string, requests: number, concurrency: number, warmup: number): Promise<StackFigures> {
  const sessionFile = path.join(work, 'session.json');
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join('local', 'start.ts')], {
    cwd: PROJECT_ROOT,
    // Single-role mode, like the cold and warm rows (bench/deployed-function.ts).
    env: { ...process.env, API_PORT: '0', IAM_PORT: '0', ISSUER_PORT: '0', SESSION_FILE: sessionFile, NO_QR: '1', SCOPED_CREDENTIALS: 'false' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    const session = await waitForSession(sessionFile, child, () => stderr);
    const url = new URL(`${session.apiUrl}/v1/me/mfa-devices`);
    if (!LOOPBACK.has(url.hostname)) throw new Error(`refusing to benchmark a non-loopback address: ${url.hostname}`);
    const alice = session.users.find((user) => user.username === 'alice');
    if (alice === undefined) throw new Error('the session file has no alice');

    const get = (): Promise<number> =>
      new Promise((resolve, reject) => {
        const start = process.hrtime.bigint();
        const request = http.get(url, { agent, headers: { Authorization: alice.idToken } }, (response) => {
          response.resume();
          response.on('end', () => {
            if (response.statusCode !== 200) reject(new Error(`local stack answered ${response.statusCode}`));
            else resolve(Number(process.hrtime.bigint() - start) / 1e6);
          });
        });
        request.on('error', reject);
      });
    const run = async (count: number): Promise<number[]> => {
      const latencies: number[] = [];
      let issued = 0;
      const worker = async (): Promise<void> => {
        while (issued < count) {
          issued += 1;
          latencies.push(await get());
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      return latencies;
    };

    await run(warmup);
    const started = process.hrtime.bigint();
    const latencies = await run(requests);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { requests, concurrency, requestsPerSecond: requests / seconds, p99Ms: quantile(latencies, 0.99) };
  } finally {
    agent.destroy();
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
  }
}

async function waitForSession(file: string, child: ReturnType<typeof spawn>, stderr: () => string): Promise<SessionFile> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the local stack exited with ${child.exitCode}: ${stderr()}`);
    if (existsSync(file)) {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as SessionFile;
      } catch {
        // Being written: try again.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the local stack wrote no session file within 60 s: ${stderr()}`);
}
