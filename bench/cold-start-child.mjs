// SPDX-License-Identifier: Apache-2.0
/**
 * One cold start, in a fresh process run by the Lambda-major Node binary (plain JavaScript, so
 * no TypeScript loader adds to what is measured): import the bundle as the runtime does, serve
 * one request, report timings, RSS and the bytes of JavaScript loaded, then exit.
 * Input: BENCH_CHILD (JSON: bundle, event, and optional followUps: further events served after
 * the measured one, whose answers are reported too). Output: one IPC message.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { benchContext } from './lambda-context.mjs';

const { bundle, event, followUps = [] } = JSON.parse(process.env.BENCH_CHILD);
const started = performance.now();
const module = await import(pathToFileURL(bundle).href);
const handler = module.handler ?? module.default?.handler;
const imported = performance.now();
const deadline = Date.now() + 15_000;
const context = benchContext(() => deadline - Date.now());
const response = await handler(event, context);
const answered = performance.now();
const rss = process.memoryUsage().rss;
// CommonJS files (the baseline's SDK from NODE_PATH) are in the require cache; an ESM bundle
// loads only itself and built-ins.
const cache = createRequire(import.meta.url).cache;
const files = new Set([bundle, ...Object.keys(cache)]);
let loadedBytes = 0;
for (const file of files) loadedBytes += statSync(file).size;
const followUpResponses = [];
for (const followUp of followUps) {
  const answer = await handler(followUp, context);
  followUpResponses.push({ statusCode: answer?.statusCode, body: answer?.body });
}
process.send(
  {
    node: process.versions.node,
    followUps: followUpResponses,
    statusCode: response?.statusCode,
    body: response?.body,
    bootMs: started,
    importMs: imported - started,
    firstRequestMs: answered - imported,
    rss,
    loadedBytes,
  },
  () => process.exit(0),
);
