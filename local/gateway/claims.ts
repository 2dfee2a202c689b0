// SPDX-License-Identifier: Apache-2.0
/**
 * Turns verified JWT claims into `requestContext.authorizer.claims` exactly as the REST API's
 * Cognito authorizer delivers them, so the handler meets the same odd shapes locally as in AWS:
 *
 * - every value is a string: numbers as decimal text, booleans as "true"/"false" (F-5.2.2);
 * - `exp` and `iat` are Java `Date.toString()` text in UTC, `Tue Apr 04 18:39:39 UTC 2023`,
 *   not epoch seconds; `auth_time` stays epoch text (F-5.2.2, real captured claims);
 * - arrays such as `cognito:groups` are flattened; reports differ between `"a,b"` and `"[a b]"`
 *   (F-5.2.3, research §7 item 7), so the format is a switch and the handler must accept both.
 */
export type GroupsFormat = 'comma' | 'brackets';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DATE_CLAIMS = new Set(['exp', 'iat']);

/** `EEE MMM dd HH:mm:ss zzz yyyy` in UTC, the format of the claims in F-5.2.2. */
export function javaDateString(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  const pad = (n: number): string => n.toString().padStart(2, '0');
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())} ${time} UTC ${date.getUTCFullYear()}`;
}

function flattenArray(values: readonly unknown[], format: GroupsFormat): string {
  const items = values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
  // A single group arrives as the bare name in both reports (F-5.2.3).
  if (items.length === 1) return items[0] as string;
  return format === 'comma' ? items.join(',') : `[${items.join(' ')}]`;
}

function stringify(name: string, value: unknown, format: GroupsFormat): string {
  if (DATE_CLAIMS.has(name) && typeof value === 'number') return javaDateString(value);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return flattenArray(value, format);
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function authorizerClaims(payload: Record<string, unknown>, format: GroupsFormat): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) claims[name] = stringify(name, value, format);
  return claims;
}
