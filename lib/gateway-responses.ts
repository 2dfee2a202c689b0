// SPDX-License-Identifier: Apache-2.0
/**
 * What API Gateway answers on its own (gateway responses), as plain data with no CDK import,
 * so that the CDK construct (`lib/mfa-resync-api.ts`) and the local gateway (`local/`) render
 * byte-for-byte the same problem documents and headers.
 *
 * Every entry is built from the contract's catalogue (`PROBLEMS`), never from literals here, so a
 * status, title or detail cannot drift between the Lambda and the gateway.
 */
import { PROBLEM_CONTENT_TYPE, problemDocument, type ProblemCode } from '../lambda/http/problems';

/** API Gateway's own placeholder for the request ID in gateway-response templates (F-5.6.2). */
export const REQUEST_ID_PLACEHOLDER = '$context.requestId';

/**
 * Retry-After on the gateway's own 429s. THROTTLED comes from the stage's token bucket, which
 * refills every second (F-5.7.1); QUOTA_EXCEEDED needs a usage plan, which this API does not
 * have, so it is customised only for completeness and gets a longer hint.
 */
export const THROTTLED_RETRY_AFTER_SECONDS = 1;
export const QUOTA_EXCEEDED_RETRY_AFTER_SECONDS = 60;

export interface GatewayErrorResponse {
  /** The API Gateway `GatewayResponseType` name, e.g. `UNAUTHORIZED` (F-5.6.1). */
  readonly type: string;
  readonly code: ProblemCode;
  /** Seconds for a static `Retry-After` header; only on 429s. */
  readonly retryAfterSeconds?: number;
  /**
   * False where AWS accepts the customisation but does not apply it (F-5.6.1:
   * REQUEST_TOO_LARGE). The local gateway may still render the contract's body; the real one
   * sends AWS's default `{"message":"Request Too Long"}` as `application/json`, without CORS.
   */
  readonly honouredByApiGateway: boolean;
}

/**
 * Every gateway response type this API customises, with the contract code it answers with.
 * The status is always the code's status in `PROBLEMS`, so the HTTP status and the body's
 * `status` member agree. Types not listed fall back to DEFAULT_4XX / DEFAULT_5XX.
 */
export const GATEWAY_ERROR_RESPONSES: readonly GatewayErrorResponse[] = [
  // A Cognito authorizer rejects a missing, malformed, expired or foreign token, or a token
  // lacking the method's scope, with UNAUTHORIZED (F-5.1.1, F-5.1.2).
  { type: 'UNAUTHORIZED', code: 'unauthenticated', honouredByApiGateway: true },
  // EXPIRED_TOKEN and INVALID_SIGNATURE are about AWS SigV4 credentials, not JWTs (F-5.6.1); if
  // they ever occur they mean "your credentials are not acceptable", i.e. 401, not AWS's 403.
  { type: 'EXPIRED_TOKEN', code: 'unauthenticated', honouredByApiGateway: true },
  { type: 'INVALID_SIGNATURE', code: 'unauthenticated', honouredByApiGateway: true },
  { type: 'ACCESS_DENIED', code: 'forbidden', honouredByApiGateway: true },
  // No API keys exist, and WAF blocks without a custom response (the common rule set) come
  // through WAF_FILTERED: both mean "not allowed".
  { type: 'INVALID_API_KEY', code: 'forbidden', honouredByApiGateway: true },
  { type: 'WAF_FILTERED', code: 'forbidden', honouredByApiGateway: true },
  // REST APIs answer an undefined path or method with MISSING_AUTHENTICATION_TOKEN (403 by
  // default, F-5.6.1); the contract calls that 404 route-not-found.
  { type: 'MISSING_AUTHENTICATION_TOKEN', code: 'route-not-found', honouredByApiGateway: true },
  { type: 'RESOURCE_NOT_FOUND', code: 'route-not-found', honouredByApiGateway: true },
  // The request validator's failures (F-5.5.1). The validator's own message
  // ($context.error.validationErrorString) is left out: it is not JSON-escaped.
  { type: 'BAD_REQUEST_BODY', code: 'invalid-request', honouredByApiGateway: true },
  { type: 'BAD_REQUEST_PARAMETERS', code: 'invalid-request', honouredByApiGateway: true },
  // Only a non-proxy integration with passthrough NEVER produces it (F-5.5.3); with the Lambda
  // proxy the handler answers 415 itself. Customised so that it can never leak AWS's format.
  { type: 'UNSUPPORTED_MEDIA_TYPE', code: 'unsupported-media-type', honouredByApiGateway: true },
  // F-5.6.1 / AWS "important notes": customising 413 REQUEST_TOO_LARGE is not supported. The
  // resource is still accepted, so it is declared (it documents intent and takes effect if AWS
  // ever honours it), but clients sending > 10 MB get AWS's default body.
  { type: 'REQUEST_TOO_LARGE', code: 'payload-too-large', honouredByApiGateway: false },
  { type: 'THROTTLED', code: 'rate-limited', retryAfterSeconds: THROTTLED_RETRY_AFTER_SECONDS, honouredByApiGateway: true },
  { type: 'QUOTA_EXCEEDED', code: 'rate-limited', retryAfterSeconds: QUOTA_EXCEEDED_RETRY_AFTER_SECONDS, honouredByApiGateway: true },
  // The Lambda could not be invoked or did not answer (Lambda throttling, a crashed init,
  // 29 s integration timeout). Retrying later is the right client action, which is what
  // 503 upstream-unavailable says; 500 internal-error would suggest a bug to report.
  { type: 'INTEGRATION_FAILURE', code: 'upstream-unavailable', honouredByApiGateway: true },
  { type: 'INTEGRATION_TIMEOUT', code: 'upstream-unavailable', honouredByApiGateway: true },
  // Catch-alls. Setting a status on DEFAULT_4XX/5XX changes it for every type of that class
  // without its own entry (F-5.6.1); every 4xx type AWS documents has one above, so DEFAULT_4XX
  // only catches types AWS adds later, and the body's status must match the HTTP status.
  { type: 'DEFAULT_4XX', code: 'invalid-request', honouredByApiGateway: true },
  // AUTHORIZER_FAILURE, AUTHORIZER_CONFIGURATION_ERROR and API_CONFIGURATION_ERROR land here.
  { type: 'DEFAULT_5XX', code: 'internal-error', honouredByApiGateway: true },
];

/**
 * The gateway response body template for a code: the contract's problem document with
 * `$context.requestId` where the request ID goes. API Gateway substitutes `$context.*` in
 * gateway-response templates (F-5.6.2); none of the catalogue's texts contains a `$`.
 */
export function gatewayResponseBodyTemplate(code: ProblemCode): string {
  return JSON.stringify(problemDocument(code, REQUEST_ID_PLACEHOLDER));
}

/** The body API Gateway sends for `code`, i.e. the template with the request ID substituted. */
export function renderGatewayResponseBody(code: ProblemCode, requestId: string): string {
  // The request ID is an API Gateway UUID; JSON-escape anyway so a local caller cannot break it.
  return gatewayResponseBodyTemplate(code).replace(`"${REQUEST_ID_PLACEHOLDER}"`, JSON.stringify(requestId));
}

/**
 * How gateway responses carry `Access-Control-Allow-Origin`. Gateway-response headers cannot be
 * conditional: a value is either a static string or copied from a request header (F-5.6.2).
 *
 * - no allowed origins: no CORS headers at all (browsers are not meant to call the API);
 * - `*`, or exactly one origin: that value, statically;
 * - several origins: the request's own `Origin` header echoed back, with `Vary: Origin`.
 *   Echoing also answers origins that are not on the list, which is acceptable here and only
 *   here: these bodies are static error documents (no data, no account detail), and the API
 *   never allows credentials (`Access-Control-Allow-Credentials` is never sent; the token is an
 *   explicit header). The Lambda's own responses and the preflight keep the exact allow-list.
 */
export type GatewayAllowOrigin =
  | { readonly kind: 'none' }
  | { readonly kind: 'static'; readonly value: string }
  | { readonly kind: 'echo-request-origin' };

export function gatewayAllowOrigin(allowedOrigins: readonly string[]): GatewayAllowOrigin {
  if (allowedOrigins.length === 0) return { kind: 'none' };
  if (allowedOrigins.includes('*')) return { kind: 'static', value: '*' };
  const [only] = allowedOrigins;
  if (allowedOrigins.length === 1 && only !== undefined) return { kind: 'static', value: only };
  return { kind: 'echo-request-origin' };
}

/** Lets a browser read Retry-After (and the request ID header) on a cross-origin error. */
export const GATEWAY_EXPOSED_HEADERS = 'Retry-After';

/**
 * The headers API Gateway sends with a gateway response, given the request's `Origin` header:
 * the exact runtime rule, for the local gateway to mirror. Header names are as configured.
 */
export function gatewayResponseHeaders(
  response: GatewayErrorResponse,
  allowedOrigins: readonly string[],
  requestOrigin: string | undefined,
): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': PROBLEM_CONTENT_TYPE };
  if (response.retryAfterSeconds !== undefined) headers['Retry-After'] = String(response.retryAfterSeconds);
  const allowOrigin = gatewayAllowOrigin(allowedOrigins);
  if (allowOrigin.kind === 'static') {
    headers['Access-Control-Allow-Origin'] = allowOrigin.value;
    headers['Access-Control-Expose-Headers'] = GATEWAY_EXPOSED_HEADERS;
  } else if (allowOrigin.kind === 'echo-request-origin') {
    // Without an Origin header (no browser) there is nothing to echo. What API Gateway sends
    // then is not documented; omitting the header is what every non-browser caller ignores.
    if (requestOrigin !== undefined) headers['Access-Control-Allow-Origin'] = requestOrigin;
    headers['Access-Control-Expose-Headers'] = GATEWAY_EXPOSED_HEADERS;
    headers.Vary = 'Origin';
  }
  return headers;
}
