// SPDX-License-Identifier: Apache-2.0
/**
 * Answers `OPTIONS` the way CDK's `addCorsPreflight` mock integration does (read from the
 * construct, see ./api-definition): no authorizer (browsers send preflights without tokens), the
 * static headers, and `Access-Control-Allow-Origin` set to the first allowed origin unless the
 * request's `Origin` is one of the others, which is echoed back. An origin that is not allowed
 * still gets the 204, but with an `Access-Control-Allow-Origin` that does not match it, so the
 * browser refuses the actual request: that is how the deployed API behaves, so it is kept.
 */
import type { ServerResponse } from 'node:http';
import type { Preflight } from './api-definition';

export function sendPreflight(res: ServerResponse, preflight: Preflight, origin: string | undefined, requestId: string): void {
  const headers: Record<string, string> = { ...preflight.headers };
  if (origin !== undefined && preflight.echoedOrigins.includes(origin)) headers['Access-Control-Allow-Origin'] = origin;
  res.writeHead(preflight.status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': '0',
    'x-amzn-RequestId': requestId,
  });
  res.end();
}
