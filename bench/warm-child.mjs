// SPDX-License-Identifier: Apache-2.0
/**
 * Warm overhead of one row's handler: the handler built by that row's bundle over an IAM
 * directory that answers at once, invoked `iterations` times after a warm-up, one at a time.
 * What is timed is the handler's own work: routing, middy, Powertools context, claims
 * mapping, device listing and the JSON answer.
 * Input: BENCH_CHILD (JSON: file, kind, event, iterations, warmup). Output: one IPC message.
 */
import { pathToFileURL } from 'node:url';
import { benchContext } from './lambda-context.mjs';

const { file, kind, event, iterations, warmup } = JSON.parse(process.env.BENCH_CHILD);
const module = await import(pathToFileURL(file).href);
const api = module.createHandler !== undefined || module.handler !== undefined ? module : module.default;

let handler;
if (kind === 'empty') {
  handler = api.handler;
} else {
  const page = { devices: [{ serialNumber: 'arn:aws:iam::111122223333:mfa/alice-phone', enabledAt: new Date(Date.UTC(2026, 0, 5)) }] };
  const directory = {
    listMfaDevices: async () => page,
    resyncMfaDevice: async () => undefined,
  };
  handler = api.createHandler({ directory, config: api.loadConfig(), logger: api.createLogger() });
}

const context = benchContext(() => 15_000);

const samples = new Float64Array(iterations);
let status;
for (let i = 0; i < warmup + iterations; i += 1) {
  const start = process.hrtime.bigint();
  const response = await handler(event, context);
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (i >= warmup) samples[i - warmup] = elapsed;
  status = response.statusCode;
}
samples.sort();
const at = (q) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)];
process.send({ statusCode: status, p50Ms: at(0.5), p99Ms: at(0.99), samples: samples.length }, () => process.exit(0));
