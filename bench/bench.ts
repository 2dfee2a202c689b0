// SPDX-License-Identifier: Apache-2.0
/**
 * `npm run bench`: cold start, memory, warm overhead and local-stack throughput of the deployed
 * bundle against the bundle a default `NodejsFunction` would deploy and against an empty
 * handler, all measured in this one run on this machine, printed as one table with the ratios
 * of (1) to (2). It prints figures and never fails on slow figures; it writes only to a
 * temporary directory (and `npm start`'s dist/lambda, which it refreshes when stale).
 *
 * Environment: BENCH_COLD_RUNS (default 25, at least 20), BENCH_WARM_ITERATIONS (default 10000,
 * at least 10000), BENCH_STACK_REQUESTS (default 2000), BENCH_STACK_CONCURRENCY (default 8).
 */
import { execFileSync, fork } from 'node:child_process';
import { cpus, tmpdir, totalmem } from 'node:os';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { startIamEmulator } from '../local/iam';
import { apiEvent } from '../test/fixtures/api-gateway-event';
import { buildBundles, type BenchBundle, type RowKey } from './bundles';
import { readDeployedFunction } from './deployed-function';
import { lambdaNodeBinary } from './lambda-node';
import { measureLocalStack, type StackFigures } from './local-stack';
import { median, quantile } from './stats';

const COLD_RUNS = Math.max(20, Number(process.env['BENCH_COLD_RUNS'] ?? 25));
const WARM_ITERATIONS = Math.max(10_000, Number(process.env['BENCH_WARM_ITERATIONS'] ?? 10_000));
const WARM_WARMUP = 1_000;
const STACK_REQUESTS = Number(process.env['BENCH_STACK_REQUESTS'] ?? 2_000);
const STACK_CONCURRENCY = Number(process.env['BENCH_STACK_CONCURRENCY'] ?? 8);
const STACK_WARMUP = 200;

/** Targets of the issue, as ratios of (1) to (2) or absolute figures. */
const TARGETS = { bundleRatio: 0.15, coldRatio: 0.4, warmP99Ms: 0.5, rssMb: 80 } as const;

interface ColdSample {
  readonly statusCode: number;
  readonly body: string;
  readonly bootMs: number;
  readonly importMs: number;
  readonly firstRequestMs: number;
  readonly rss: number;
  readonly loadedBytes: number;
}

interface RowFigures {
  readonly bundle: BenchBundle;
  readonly coldMedianMs: number;
  readonly coldP90Ms: number;
  readonly importMedianMs: number;
  readonly rssMb: number;
  readonly loadedBytes: number;
  readonly warmP50Ms: number;
  readonly warmP99Ms: number;
  readonly stack?: StackFigures;
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);

function runChild<T>(script: string, node: string, env: NodeJS.ProcessEnv, input: unknown): Promise<{ message: T; elapsedMs: number }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = fork(path.join(__dirname, script), [], {
      execPath: node,
      execArgv: [],
      env: { ...env, BENCH_CHILD: JSON.stringify(input) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    let message: T | undefined;
    let elapsedMs = 0;
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('message', (received) => {
      elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
      message = received as T;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (message === undefined) reject(new Error(`${script} exited with ${code} and no result: ${stderr}`));
      else resolve({ message, elapsedMs });
    });
  });
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'mfa-resync-bench-'));
  try {
    const deployed = readDeployedFunction();
    const node = lambdaNodeBinary();
    const nodeVersion = execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
    log(`runtime ${deployed.runtimeName}: children run on Node ${nodeVersion} (${node})`);

    const bundles = await buildBundles(work, log);
    const iam = await startIamEmulator({
      port: 0,
      seed: { accountId: '111122223333', users: [{ userName: 'alice', devices: [{ kind: 'virtual', name: 'alice-phone' }] }] },
    });
    const home = path.join(work, 'home');
    mkdirSync(home);
    try {
      // The function's environment as the construct sets it, plus what Lambda adds: the region,
      // the execution role's credentials as environment variables, and NODE_PATH (where the
      // runtime's own SDK lives). HOME is empty, as no shared AWS config exists in Lambda.
      const functionEnv = (bundle: BenchBundle): NodeJS.ProcessEnv => ({
        ...deployed.environment,
        IAM_ENDPOINT: iam.url,
        AWS_REGION: 'us-east-1',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'AKIABENCHMFARESYNC00',
        AWS_SECRET_ACCESS_KEY: 'bench-secret-access-key-not-a-real-secret',
        AWS_SESSION_TOKEN: 'bench-session-token',
        AWS_LAMBDA_FUNCTION_NAME: 'mfa-resync-bench',
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
        AWS_EXECUTION_ENV: `AWS_Lambda_${deployed.runtimeName}`,
        TZ: ':UTC',
        HOME: home,
        ...(bundle.nodePath === undefined ? {} : { NODE_PATH: bundle.nodePath }),
      });
      const event: APIGatewayProxyEvent = apiEvent();

      // Cold starts, rows interleaved so that drift of the machine spreads over all of them.
      const cold = new Map<RowKey, Array<{ sample: ColdSample; elapsedMs: number }>>(bundles.map((bundle) => [bundle.key, []]));
      log(`cold start: ${COLD_RUNS} fresh processes per row`);
      for (let run = 0; run < COLD_RUNS; run += 1) {
        for (const bundle of bundles) {
          const { message, elapsedMs } = await runChild<ColdSample>('cold-start-child.mjs', node, functionEnv(bundle), { bundle: bundle.file, event });
          if (message.statusCode !== 200) throw new Error(`${bundle.label} answered ${message.statusCode}: ${message.body}`);
          if (bundle.key !== 'empty' && !message.body.includes('alice-phone')) throw new Error(`${bundle.label} did not list the device: ${message.body}`);
          cold.get(bundle.key)!.push({ sample: message, elapsedMs });
        }
      }

      const rows: RowFigures[] = [];
      for (const bundle of bundles) {
        log(`warm: ${WARM_ITERATIONS} invocations of ${bundle.label}`);
        const { message: warm } = await runChild<{ statusCode: number; p50Ms: number; p99Ms: number }>('warm-child.mjs', node, functionEnv(bundle), {
          file: bundle.warmFile,
          kind: bundle.key === 'empty' ? 'empty' : 'handler',
          event,
          iterations: WARM_ITERATIONS,
          warmup: WARM_WARMUP,
        });
        if (warm.statusCode !== 200) throw new Error(`${bundle.label} answered ${warm.statusCode} when warm`);
        const samples = cold.get(bundle.key)!;
        rows.push({
          bundle,
          coldMedianMs: median(samples.map((entry) => entry.elapsedMs)),
          coldP90Ms: quantile(samples.map((entry) => entry.elapsedMs), 0.9),
          importMedianMs: median(samples.map((entry) => entry.sample.importMs)),
          rssMb: median(samples.map((entry) => entry.sample.rss)) / 2 ** 20,
          loadedBytes: median(samples.map((entry) => entry.sample.loadedBytes)),
          warmP50Ms: warm.p50Ms,
          warmP99Ms: warm.p99Ms,
        });
      }

      log(`local stack: ${STACK_REQUESTS} requests, ${STACK_CONCURRENCY} at a time`);
      // The other columns stand on their own: a stack that cannot start is reported, not fatal.
      const stack = await measureLocalStack(work, STACK_REQUESTS, STACK_CONCURRENCY, STACK_WARMUP).catch((error: unknown) => {
        log(`local stack not measured: ${error instanceof Error ? error.message.trim() : String(error)}`);
        return undefined;
      });
      if (stack !== undefined) rows[0] = { ...rows[0]!, stack };

      printTable(rows, nodeVersion, deployed.runtimeName);
    } finally {
      await iam.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function printTable(rows: readonly RowFigures[], nodeVersion: string, runtimeName: string): void {
  const [lean, base] = [rows.find((row) => row.bundle.key === 'deployed')!, rows.find((row) => row.bundle.key === 'baseline')!];
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
  const ms = (value: number, digits = 1): string => `${value.toFixed(digits)} ms`;
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
  const columns = [
    'bundle', 'JS loaded', 'cold median', 'cold p90', 'import median', 'RSS', 'warm p50', 'warm p99', 'stack req/s', 'stack p99',
  ];
  const cells = (row: RowFigures): string[] => [
    kb(row.bundle.bytes),
    kb(row.loadedBytes),
    ms(row.coldMedianMs),
    ms(row.coldP90Ms),
    ms(row.importMedianMs),
    `${row.rssMb.toFixed(1)} MB`,
    ms(row.warmP50Ms, 3),
    ms(row.warmP99Ms, 3),
    row.stack === undefined ? '–' : row.stack.requestsPerSecond.toFixed(0),
    row.stack === undefined ? '–' : ms(row.stack.p99Ms, 2),
  ];
  const ratios = [
    ratio(lean.bundle.bytes, base.bundle.bytes),
    ratio(lean.loadedBytes, base.loadedBytes),
    ratio(lean.coldMedianMs, base.coldMedianMs),
    ratio(lean.coldP90Ms, base.coldP90Ms),
    ratio(lean.importMedianMs, base.importMedianMs),
    ratio(lean.rssMb, base.rssMb),
    ratio(lean.warmP50Ms, base.warmP50Ms),
    ratio(lean.warmP99Ms, base.warmP99Ms),
    '–',
    '–',
  ];
  const table = [['', ...columns], ...rows.map((row) => [row.bundle.label, ...cells(row)]), ['(1) / (2)', ...ratios]];
  const out = [
    `mfa-resync cold start and overhead — Node ${nodeVersion} (runtime ${runtimeName}), ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform}/${process.arch}`,
    `cold: ${COLD_RUNS} fresh processes per row, spawn to first response (local IAM emulator); RSS after that response; warm: ${WARM_ITERATIONS} invocations after ${WARM_WARMUP} warm-up, IAM directory answering at once; stack: ${rows[0]?.stack?.requests ?? 0} GET /v1/me/mfa-devices, ${rows[0]?.stack?.concurrency ?? 0} concurrent, through npm start's stack (runs bundle (1) only)`,
    '',
    '| ' + table[0]!.join(' | ') + ' |',
    '|' + table[0]!.map((_, index) => (index === 0 ? '---' : '---:')).join('|') + '|',
    ...table.slice(1).map((line) => '| ' + line.join(' | ') + ' |'),
    '',
    `targets: bundle ≤ ${TARGETS.bundleRatio}× ${mark(lean.bundle.bytes / base.bundle.bytes <= TARGETS.bundleRatio)}, ` +
      `cold median ≤ ${TARGETS.coldRatio}× ${mark(lean.coldMedianMs / base.coldMedianMs <= TARGETS.coldRatio)}, ` +
      `warm p99 ≤ ${TARGETS.warmP99Ms} ms ${mark(lean.warmP99Ms <= TARGETS.warmP99Ms)}, ` +
      `RSS ≤ ${TARGETS.rssMb} MB ${mark(lean.rssMb <= TARGETS.rssMb)}`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

const mark = (met: boolean): string => (met ? 'met' : 'MISSED');

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
