// SPDX-License-Identifier: Apache-2.0
/**
 * Response shapes and the two middlewares that finish every response: one turns errors into
 * problem documents, the other adds the headers every response carries (success or error).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { AllowedOrigins } from '../config';
import {
  CallerNotMappedError,
  DeviceSelectionRequiredError,
  DomainError,
  ExecutorMisconfiguredError,
  RateLimitedError,
  UpstreamUnavailableError,
} from '../domain/errors';
import { HttpProblemError } from './http-errors';
import { PROBLEM_CONTENT_TYPE, problemDocument, type ProblemCode } from './problems';

type Middleware = middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult>;

export function jsonResponse(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

export function problemResponse(
  code: ProblemCode,
  requestId: string,
  options: { detail?: string; extensions?: Record<string, unknown>; headers?: Record<string, string> } = {},
): APIGatewayProxyResult {
  const document = problemDocument(code, requestId, options);
  return {
    statusCode: document.status,
    headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, ...options.headers },
    body: JSON.stringify(document),
  };
}

/** The API Gateway request id: the id clients quote, and the log correlation id. */
export function requestIdOf(event: APIGatewayProxyEvent | undefined): string {
  const requestId: unknown = event?.requestContext?.requestId;
  return typeof requestId === 'string' ? requestId : 'unknown';
}

/**
 * Errors to problem documents. Domain and HTTP errors carry their contract code; anything else is
 * a 500 whose body says nothing about the cause. Logs hold codes, reasons and stack frames, never
 * an error message from outside this code base (an SDK or JSON.parse message can quote input).
 */
export function problemResponses(logger: Logger): Middleware {
  const problemResponsesOnError: middy.MiddlewareFn<APIGatewayProxyEvent, APIGatewayProxyResult> = (request) => {
    const { error } = request;
    const requestId = requestIdOf(request.event);
    if (error instanceof DomainError) {
      logRefusal(logger, error);
      request.response = problemResponse(error.code, requestId, {
        ...(error.detail === undefined ? {} : { detail: error.detail }),
        ...(error instanceof DeviceSelectionRequiredError ? { extensions: { devices: error.devices } } : {}),
        ...(error instanceof RateLimitedError ? { headers: { 'Retry-After': String(error.retryAfterSeconds) } } : {}),
      });
    } else if (error instanceof ExecutorMisconfiguredError) {
      // A deployment problem, not a bug: the role, trust policy, region or an SCP needs fixing.
      logger.warn(
        error.service === 'sts'
          ? 'STS refused the executor session: check the function role policy, the executor trust policy and STS in this region'
          : 'IAM denied the executor session on a user confirmed under IAM_USER_PATH_PREFIX: check the executor role policy, its permissions boundary and SCPs',
        { upstream: error.service, errorCode: error.errorCode },
      );
      request.response = problemResponse('internal-error', requestId);
    } else if (error instanceof HttpProblemError) {
      logger.info('Request refused', { code: error.code });
      request.response = problemResponse(error.code, requestId);
    } else {
      logger.error('Unexpected error', describeUnexpected(error));
      request.response = problemResponse('internal-error', requestId);
    }
    // No return value: returning one would stop middy's onError chain before the headers
    // middleware and Powertools' key reset run.
  };
  return { onError: problemResponsesOnError };
}

function logRefusal(logger: Logger, error: DomainError): void {
  const reason = 'reason' in error && typeof error.reason === 'string' ? error.reason : undefined;
  const fields = { code: error.code, ...(reason === undefined ? {} : { reason }) };
  if (error instanceof CallerNotMappedError && error.reason === 'iam-access-denied') {
    logger.warn(
      'IAM denied the call: the IAM user is outside IAM_USER_PATH_PREFIX, or the function role is misconfigured',
      fields,
    );
  } else if (error instanceof CallerNotMappedError && error.reason === 'unscopable-user') {
    logger.warn("The IAM user's ARN cannot be scoped: the user session policy exceeds STS's size limit (a very long path)", fields);
  } else if (error instanceof UpstreamUnavailableError) {
    logger.warn('IAM unavailable', fields);
  } else {
    logger.info('Request refused', fields);
  }
}

/** Name and stack frames only: the first stack line repeats the message. */
function describeUnexpected(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { errorType: typeof error };
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).slice(0, 10);
  return { errorName: error.name, stack: frames.map((line) => line.trim()) };
}

/**
 * `Cache-Control: no-store` on everything (the answers are per person), and the CORS headers
 * whenever the request's Origin is allowed, on errors as on successes: a browser hides an error
 * response without them, and the client could not read its `code`.
 */
export function commonHeaders(allowedOrigins: AllowedOrigins): Middleware {
  const addHeaders: middy.MiddlewareFn<APIGatewayProxyEvent, APIGatewayProxyResult> = (request) => {
    if (request.response === undefined || request.response === null) return;
    request.response.headers = {
      ...request.response.headers,
      'Cache-Control': 'no-store',
      ...corsHeaders(allowedOrigins, request.event.headers?.['origin']),
    };
  };
  return { after: addHeaders, onError: addHeaders };
}

export function corsHeaders(allowedOrigins: AllowedOrigins, origin: string | undefined): Record<string, string> {
  // Browsers only read headers named here; a 429's Retry-After is the one that matters.
  const exposed = { 'Access-Control-Expose-Headers': 'Retry-After' };
  if (allowedOrigins === '*') return { 'Access-Control-Allow-Origin': '*', ...exposed };
  if (allowedOrigins.length === 0) return {};
  // The answer depends on Origin whenever a list is configured, so caches must key on it.
  if (origin === undefined || !allowedOrigins.includes(origin)) return { Vary: 'Origin' };
  return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin', ...exposed };
}
