// SPDX-License-Identifier: Apache-2.0
/**
 * Stands in for `node:http` in the Lambda bundle (an esbuild alias in lib/lambda-bundling.ts).
 *
 * In an ES module, importing a built-in builds its ESM facade, which reads every export of the
 * module, and on Node 24 some of `node:http`'s exports are lazy getters that load undici. The
 * SDK's HTTP handler imports `node:http` (dynamically, on the first request), so the first IAM
 * call paid ~20 ms for a fetch implementation it never uses (docs/performance.md).
 * `process.getBuiltinModule` (Node ≥ 20.16 and 22.3) returns the same module object as `require`
 * without reading the getters, so everything below is the very same `Agent` and `request`; an
 * import of a name not listed here fails the build.
 */
const http = process.getBuiltinModule('node:http');

export default http;
export const { Agent, request } = http;
