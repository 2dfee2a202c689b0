// SPDX-License-Identifier: Apache-2.0
/**
 * TOTP arithmetic over 30 s steps. Codes come from `otpauth` (RFC 6238: a TOTP code is the
 * HOTP code of the step counter, six digits, HMAC-SHA1, 30 s period: F-3.4.1); this file only
 * decides which steps to try, so the windows live in one place.
 */
import { HOTP, Secret } from 'otpauth';

export const STEP_MS = 30_000;

export function stepAt(ms: number): number {
  return Math.floor(ms / STEP_MS);
}

export function parseSecret(base32: string): Secret {
  const secret = Secret.fromBase32(base32);
  if (secret.bytes.length === 0) throw new Error('empty TOTP secret');
  return secret;
}

export function codeAt(secret: Secret, step: number): string {
  return HOTP.generate({ secret, counter: step, digits: 6, algorithm: 'SHA1' });
}

/** Steps in [center - radius, center + radius], nearest to `center` first (ties: the earlier). */
function* outward(center: number, radius: number): Generator<number> {
  yield center;
  for (let d = 1; d <= radius; d += 1) {
    yield center - d;
    yield center + d;
  }
}

/**
 * The step `t` nearest to `center` with code1 at t and code2 at t + 1, t > `after`.
 * Nearest-first keeps the rare chance collision of two six-digit codes from picking a far step.
 */
export function findConsecutivePair(
  secret: Secret,
  code1: string,
  code2: string,
  center: number,
  radius: number,
  after: number,
): number | undefined {
  const cache = new Map<number, string>();
  const code = (step: number): string => {
    let c = cache.get(step);
    if (c === undefined) {
      c = codeAt(secret, step);
      cache.set(step, c);
    }
    return c;
  };
  for (const t of outward(center, radius)) {
    if (t > after && code(t) === code1 && code(t + 1) === code2) return t;
  }
  return undefined;
}

/** The step nearest to `center` within ±radius whose code is `code`, with step > `after`. */
export function findCode(secret: Secret, code: string, center: number, radius: number, after: number): number | undefined {
  for (const s of outward(center, radius)) {
    if (s > after && codeAt(secret, s) === code) return s;
  }
  return undefined;
}
