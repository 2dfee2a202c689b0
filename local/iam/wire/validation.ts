// SPDX-License-Identifier: Apache-2.0
/**
 * Input constraints of the three actions, checked the way IAM's front end checks them and
 * reported in its words. IAM lists every violated constraint in one Coral-style message:
 * `1 validation error detected: Value 'x' at 'roleName' failed to satisfy constraint: Member must
 * have length less than or equal to 64` (NixOS/nixops#328), `Value null at 'userName' failed to
 * satisfy constraint: Member must not be null` for a missing member, and several violations joined
 * by "; " under "N validation errors detected". Member names are lower camel case.
 */
import { iamErrors } from './errors';
import type { QueryParams } from './request';

export interface StringConstraint {
  readonly kind: 'string';
  /** The wire parameter, e.g. `UserName`. */
  readonly param: string;
  readonly required: boolean;
  readonly min: number;
  readonly max: number;
  /** The model's pattern as IAM prints it; checked against the whole value (F-1.1.5). */
  readonly pattern: string;
}

export interface IntegerConstraint {
  readonly kind: 'integer';
  readonly param: string;
  readonly required: boolean;
  readonly min: number;
  readonly max: number;
}

export type Constraint = StringConstraint | IntegerConstraint;

// Shapes from BOTO-IAM (research §1.1, §1.4, §1.5, §9).
export const USER_NAME: StringConstraint = { kind: 'string', param: 'UserName', required: false, min: 1, max: 128, pattern: '[\\w+=,.@-]+' };
export const SERIAL_NUMBER: StringConstraint = { kind: 'string', param: 'SerialNumber', required: true, min: 9, max: 256, pattern: '[\\w+=/:,.@-]+' };
export const AUTH_CODE_1: StringConstraint = { kind: 'string', param: 'AuthenticationCode1', required: true, min: 6, max: 6, pattern: '[\\d]+' };
export const AUTH_CODE_2: StringConstraint = { ...AUTH_CODE_1, param: 'AuthenticationCode2' };
export const MARKER: StringConstraint = { kind: 'string', param: 'Marker', required: false, min: 1, max: 320, pattern: '[\\u0020-\\u00FF]+' };
export const MAX_ITEMS: IntegerConstraint = { kind: 'integer', param: 'MaxItems', required: false, min: 1, max: 1000 };

interface Violation {
  readonly text: string;
  readonly userNamePattern: boolean;
}

/** `UserName` -> `userName`, `AuthenticationCode1` -> `authenticationCode1`, `MaxItems` -> `maxItems`. */
function memberName(param: string): string {
  return param.charAt(0).toLowerCase() + param.slice(1);
}

function check(constraint: Constraint, value: string | undefined): Violation[] {
  const member = memberName(constraint.param);
  const at = (shown: string, rule: string, userNamePattern = false): Violation => ({
    text: `Value ${shown} at '${member}' failed to satisfy constraint: Member must ${rule}`,
    userNamePattern,
  });
  if (value === undefined) return constraint.required ? [at('null', 'not be null')] : [];
  const shown = `'${value}'`;
  if (constraint.kind === 'integer') {
    // Decided: IAM's answer to a non-numeric MaxItems is not in the sources.
    if (!/^-?\d+$/.test(value)) return [at(shown, 'be an integer')];
    const n = Number(value);
    if (n < constraint.min) return [at(shown, `have value greater than or equal to ${constraint.min}`)];
    if (n > constraint.max) return [at(shown, `have value less than or equal to ${constraint.max}`)];
    return [];
  }
  const found: Violation[] = [];
  // Lengths count UTF-16 code units like the JVM-based front end does; all patterns here are ASCII-ish anyway.
  if (value.length < constraint.min) found.push(at(shown, `have length greater than or equal to ${constraint.min}`));
  if (value.length > constraint.max) found.push(at(shown, `have length less than or equal to ${constraint.max}`));
  if (!new RegExp(`^(?:${constraint.pattern})$`, 'u').test(value)) {
    found.push(at(shown, `satisfy regular expression pattern: ${constraint.pattern}`, constraint.param === 'UserName'));
  }
  return found;
}

/**
 * Throws IAM's `ValidationError` (400) when any constraint fails.
 * A user name that breaks only the character pattern gets IAM's dedicated sentence instead
 * (F-1.1.5: `The specified value for userName is invalid. It must contain only alphanumeric
 * characters and/or the following: +=,.@_-`); with other violations present the combined
 * Coral message is used (decided: the sources show each form only alone).
 */
export function validate(params: QueryParams, constraints: readonly Constraint[]): void {
  const violations = constraints.flatMap((c) => check(c, params.get(c.param)));
  if (violations.length === 0) return;
  if (violations.length === 1 && violations[0]?.userNamePattern === true) {
    throw iamErrors.validation(
      'The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-',
    );
  }
  const count = violations.length === 1 ? '1 validation error detected' : `${violations.length} validation errors detected`;
  throw iamErrors.validation(`${count}: ${violations.map((v) => v.text).join('; ')}`);
}
