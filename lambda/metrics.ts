// SPDX-License-Identifier: Apache-2.0
/**
 * Request outcome metrics, as CloudWatch EMF lines through Powertools Metrics, flushed once per
 * invocation. The CloudWatch alarms of the stack are built on exactly these names.
 *
 * Every invocation emits all four counts, 0 or 1: a Sum then counts events, a missing data point
 * means no traffic rather than "nothing went wrong", and Powertools has no empty flush to warn
 * about. Only counts and the service dimension are written: no code, token or user name.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { SERVICE_NAME } from './logger';
import { METRIC_NAMES } from './metric-names';

export { METRIC_NAMES };

export function createMetrics(namespace: string): Metrics {
  return new Metrics({ namespace, serviceName: SERVICE_NAME });
}

/** What one response counts as. Reads the final response, so it sees problems and successes alike. */
export function outcomeCounts(response: APIGatewayProxyResult | undefined | null, route: string): Record<string, number> {
  const status = response?.statusCode ?? 500;
  const code = problemCodeOf(response);
  return {
    [METRIC_NAMES.resynchronized]: status === 200 && route === 'POST /v1/me/mfa-devices/resync' ? 1 : 0,
    [METRIC_NAMES.invalidCodes]: code === 'invalid-codes' ? 1 : 0,
    [METRIC_NAMES.rateLimited]: status === 429 ? 1 : 0,
    [METRIC_NAMES.serverErrors]: status >= 500 ? 1 : 0,
  };
}

function problemCodeOf(response: APIGatewayProxyResult | undefined | null): string | undefined {
  if (response === undefined || response === null || response.statusCode < 400) return undefined;
  try {
    const code: unknown = (JSON.parse(response.body) as { code?: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Adds the counts after the response is final. Register it before `problemResponses` (middy runs
 * `after` and `onError` in reverse order), and after Powertools' `logMetrics`, which flushes.
 */
export function countOutcomes(metrics: Metrics): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const count: middy.MiddlewareFn<APIGatewayProxyEvent, APIGatewayProxyResult> = (request) => {
    const route = `${request.event?.httpMethod ?? ''} ${request.event?.resource ?? ''}`;
    for (const [name, value] of Object.entries(outcomeCounts(request.response, route))) {
      metrics.addMetric(name, MetricUnit.Count, value);
    }
  };
  return { after: count, onError: count };
}
