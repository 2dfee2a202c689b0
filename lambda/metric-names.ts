// SPDX-License-Identifier: Apache-2.0
/**
 * The names of the function's EMF metrics and their default namespace: emitted by
 * `lambda/metrics.ts`, alarmed on by `lib/alarms.ts`. No imports, so `lib/` can load it without
 * pulling Powertools into the CDK app.
 */
export const METRIC_NAMES = {
  resynchronized: 'Resynchronized',
  invalidCodes: 'InvalidCodes',
  rateLimited: 'RateLimited',
  serverErrors: 'ServerErrors',
} as const;

export const DEFAULT_METRICS_NAMESPACE = 'MfaResync';
