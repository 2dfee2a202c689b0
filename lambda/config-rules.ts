// SPDX-License-Identifier: Apache-2.0
/**
 * Validation rules shared by the Lambda's configuration (`lambda/config.ts`, at cold start) and
 * the CDK construct's props (`lib/mfa-resync-api-validation.ts`, at synth): one definition each,
 * so a value the construct accepts is never one the function then refuses, or the reverse.
 * No imports: `lib/` and the bundle both load it.
 */

/** Bounds of the per-request IAM budget; the function timeout set by infra is 15 s. */
export const MIN_IAM_BUDGET_MS = 100;
export const MAX_IAM_BUDGET_MS = 14_000;

export function isIamBudgetMs(budget: number): boolean {
  return Number.isInteger(budget) && budget >= MIN_IAM_BUDGET_MS && budget <= MAX_IAM_BUDGET_MS;
}

/** IAM path rules (F-1.5.1, F-3.5.3): `/` or `/…/`, printable ASCII, at most 512 characters. */
export const IAM_PATH = /^\/(?:[\x21-\x7E]*\/)?$/;
export const MAX_IAM_PATH_LENGTH = 512;

export function isIamPath(path: string): boolean {
  return path.length <= MAX_IAM_PATH_LENGTH && IAM_PATH.test(path);
}

/** In the role's Resource ARN these are wildcards or policy variables (F-1.5.3). */
export function hasPolicyWildcard(path: string): boolean {
  return /[*?$]/.test(path);
}

/**
 * IAM tag keys: 1–128 letters, digits, white space and `_ . : / = + - @` (IAM-UG id_tags); keys
 * starting with `aws:` (any case) are reserved for AWS and cannot be set on a user.
 */
export const IAM_TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;

export function isBindingTagKey(key: string): boolean {
  return IAM_TAG_KEY.test(key) && !key.toLowerCase().startsWith('aws:');
}

/**
 * CloudWatch namespaces: 1–255 of letters, digits, `. - _ / # :` and spaces, not starting with
 * `AWS/` (reserved for AWS services). No leading or trailing space: the Lambda trims its
 * environment, so the alarms and the function would otherwise use different namespaces.
 */
export const METRICS_NAMESPACE = /^(?! )[A-Za-z0-9.\-_/#: ]{1,255}(?<! )$/;

export function isMetricsNamespace(namespace: string): boolean {
  return METRICS_NAMESPACE.test(namespace) && !namespace.startsWith('AWS/');
}
