// SPDX-License-Identifier: Apache-2.0
/**
 * The two authentication codes, normalised as the contract says: surrounding ASCII white space
 * (space, tab, CR, LF) is trimmed, one space or hyphen between the third and fourth digit is
 * removed, and what is left must be exactly six ASCII digits (F-1.1.4).
 *
 * `String.prototype.trim` and `\d` with the `u` flag would accept Unicode spaces and digits,
 * which IAM rejects, so both are spelled out. JSON numbers are refused because they lose
 * leading zeros (`012345` is not valid JSON, `12345` would be a different code).
 */
import { IdenticalCodesError, InvalidRequestError } from './errors';

export interface ResyncCodes {
  readonly code1: string;
  readonly code2: string;
}

const SURROUNDING_WHITE_SPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g;
const SIX_DIGITS = /^([0-9]{3})[ -]?([0-9]{3})$/;

export function normaliseCode(field: 'code1' | 'code2', raw: unknown): string {
  const match = typeof raw === 'string' ? SIX_DIGITS.exec(raw.replace(SURROUNDING_WHITE_SPACE, '')) : null;
  if (match === null) {
    throw new InvalidRequestError(`${field} must be a string of six digits, such as "123456" or "123 456".`);
  }
  return `${match[1]}${match[2]}`;
}

/** Both codes normalised; codes that are equal after normalisation cannot be consecutive. */
export function normaliseCodes(body: { readonly code1: unknown; readonly code2: unknown }): ResyncCodes {
  const code1 = normaliseCode('code1', body.code1);
  const code2 = normaliseCode('code2', body.code2);
  if (code1 === code2) throw new IdenticalCodesError();
  return { code1, code2 };
}
