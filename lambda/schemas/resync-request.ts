// SPDX-License-Identifier: Apache-2.0
/**
 * The one schema of the resync body. API Gateway's request validator (as a draft-4 model),
 * the Lambda's own validation and the local gateway all use this object, and the OpenAPI
 * document is generated from it, so it must stay within what all of them understand:
 * type, properties, required, additionalProperties, pattern, minLength and maxLength.
 *
 * The code pattern admits exactly the spellings the contract normalises: surrounding ASCII
 * white space, and one space or hyphen between the third and fourth digit. `[0-9]` rather
 * than `\d` keeps full-width and other Unicode digits out in every regex dialect.
 */
export const CODE_PATTERN = '^[ \\t\\r\\n]*[0-9]{3}[ -]?[0-9]{3}[ \\t\\r\\n]*$';

/** IAM's serialNumberType: 9-256 characters of [\w+=/:,.@-] (BOTO-IAM, research F-1.1.3). */
export const SERIAL_NUMBER_PATTERN = '^[A-Za-z0-9_+=/:,.@-]{9,256}$';

export const resyncRequestSchema = {
  title: 'ResyncRequest',
  type: 'object',
  properties: {
    code1: { type: 'string', minLength: 6, maxLength: 64, pattern: CODE_PATTERN },
    code2: { type: 'string', minLength: 6, maxLength: 64, pattern: CODE_PATTERN },
    serialNumber: { type: 'string', minLength: 9, maxLength: 256, pattern: SERIAL_NUMBER_PATTERN },
  },
  required: ['code1', 'code2'],
  additionalProperties: false,
} as const;

export interface ResyncRequestBody {
  readonly code1: string;
  readonly code2: string;
  readonly serialNumber?: string;
}
