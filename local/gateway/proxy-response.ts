// SPDX-License-Identifier: Apache-2.0
/**
 * Maps a Lambda proxy integration result to the HTTP response, as API Gateway does:
 *
 * - `statusCode`, `headers` and `multiValueHeaders` are merged; when a header is in both, only
 *   the `multiValueHeaders` values are sent (APIGW-DG `set-up-lambda-proxy-integrations.md`);
 * - `body` must be a string; with `isBase64Encoded: true` it is decoded to bytes;
 * - a result without a numeric `statusCode`, or with a non-string body, is a "Malformed Lambda
 *   proxy response", which the client sees as a gateway 5xx, never as the result itself;
 * - no Content-Type from the function means `application/json`, API Gateway's default.
 */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Record<string, string[]>;
  readonly body: Buffer;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const scalar = (value: unknown): boolean => ['string', 'number', 'boolean'].includes(typeof value);

/** `undefined` for a malformed result. */
export function toHttpResponse(result: unknown): HttpResponse | undefined {
  if (!isRecord(result)) return undefined;
  const status = typeof result.statusCode === 'string' && /^\d{3}$/.test(result.statusCode) ? Number(result.statusCode) : result.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return undefined;
  if (result.body !== undefined && result.body !== null && typeof result.body !== 'string') return undefined;

  const headers: Record<string, string[]> = {};
  // Header names keep the function's spelling; one name in two spellings is one header.
  const key = (name: string): string => Object.keys(headers).find((existing) => existing.toLowerCase() === name.toLowerCase()) ?? name;
  const multi = result.multiValueHeaders;
  if (multi !== undefined && multi !== null) {
    if (!isRecord(multi)) return undefined;
    for (const [name, values] of Object.entries(multi)) {
      if (!Array.isArray(values) || !values.every(scalar)) return undefined;
      headers[key(name)] = values.map(String);
    }
  }
  const single = result.headers;
  if (single !== undefined && single !== null) {
    if (!isRecord(single)) return undefined;
    for (const [name, value] of Object.entries(single)) {
      if (!scalar(value)) return undefined;
      headers[key(name)] ??= [String(value)];
    }
  }
  headers[key('Content-Type')] ??= ['application/json'];
  const text = typeof result.body === 'string' ? result.body : '';
  const body = result.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { status, headers, body };
}
