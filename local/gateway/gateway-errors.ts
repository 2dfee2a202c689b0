// SPDX-License-Identifier: Apache-2.0
/**
 * Responses API Gateway generates itself (gateway responses, F-5.6.1), rendered from the same
 * table and the same header rule as the CDK construct (`lib/gateway-responses.ts`), so that a
 * local 401 is byte for byte the deployed 401, CORS headers included (F-5.6.3).
 *
 * Exception, on purpose: REQUEST_TOO_LARGE cannot be customised in AWS (F-5.6.1), so the real
 * 413 is AWS's `{"message":"Request Too Long"}` without CORS. Locally it is rendered like the
 * others, as the contract describes it; the table marks it `honouredByApiGateway: false`.
 */
import type { ServerResponse } from 'node:http';
import { GATEWAY_ERROR_RESPONSES, gatewayResponseHeaders, renderGatewayResponseBody } from '../../lib/gateway-responses';
import { PROBLEMS } from '../../lambda/http/problems';

export type GatewayResponseType =
  | 'UNAUTHORIZED'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'BAD_REQUEST_BODY'
  | 'REQUEST_TOO_LARGE'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'DEFAULT_5XX';

export interface RenderedGatewayError {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The status, headers and body of a gateway response, for a ServerResponse or a raw socket. */
export function renderGatewayError(
  type: GatewayResponseType,
  requestId: string,
  allowedOrigins: readonly string[],
  requestOrigin: string | undefined,
): RenderedGatewayError {
  const response = GATEWAY_ERROR_RESPONSES.find((candidate) => candidate.type === type);
  if (response === undefined) throw new Error(`no gateway response configured for ${type}`);
  const body = renderGatewayResponseBody(response.code, requestId);
  return {
    status: PROBLEMS[response.code].status,
    headers: {
      ...gatewayResponseHeaders(response, allowedOrigins, requestOrigin),
      'Content-Length': Buffer.byteLength(body).toString(),
      'x-amzn-RequestId': requestId,
      'x-amzn-ErrorType': errorType(type),
    },
    body,
  };
}

export function sendGatewayError(
  res: ServerResponse,
  type: GatewayResponseType,
  requestId: string,
  allowedOrigins: readonly string[],
  requestOrigin: string | undefined,
  extraHeaders: Record<string, string> = {},
): void {
  const { status, headers, body } = renderGatewayError(type, requestId, allowedOrigins, requestOrigin);
  res.writeHead(status, { ...headers, ...extraHeaders });
  res.end(body);
}

/** The `x-amzn-ErrorType` API Gateway sets on its own errors. */
function errorType(type: GatewayResponseType): string {
  switch (type) {
    case 'UNAUTHORIZED':
      return 'UnauthorizedException';
    case 'MISSING_AUTHENTICATION_TOKEN':
      return 'MissingAuthenticationTokenException';
    case 'BAD_REQUEST_BODY':
      return 'BadRequestException';
    case 'REQUEST_TOO_LARGE':
      return 'RequestTooLargeException';
    default:
      return 'InternalServerErrorException';
  }
}
