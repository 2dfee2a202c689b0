// SPDX-License-Identifier: Apache-2.0
/**
 * The ahead-of-time validator (lambda/schemas/resync-request.validator.ts) must be what ajv
 * compiles from the current schema: the file is regenerated and compared, and for arbitrary
 * bodies it must agree with a validator compiled at run time on the verdict and on the first
 * error (the handler words its 400 from that error's instancePath).
 */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import fc from 'fast-check';
import { resyncRequestSchema } from '../../../lambda/schemas/resync-request';
import { validate as generated } from '../../../lambda/schemas/resync-request.validator';
import { AJV_OPTIONS, VALIDATOR_FILE, resyncValidatorSource } from '../../../scripts/generate-resync-validator';

type Validate = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; keyword: string }> | null };

describe('the precompiled resync validator', () => {
  const compiled = new Ajv({ ...AJV_OPTIONS }).compile(resyncRequestSchema) as Validate;
  const precompiled = generated as unknown as Validate;

  test('is up to date with the schema and ajv (else run npm run generate:validator)', () => {
    expect(readFileSync(VALIDATOR_FILE, 'utf8')).toBe(resyncValidatorSource());
  });

  const verdict = (validate: Validate, body: unknown): unknown => {
    const valid = validate(body);
    return { valid, first: valid ? undefined : { path: validate.errors?.[0]?.instancePath, keyword: validate.errors?.[0]?.keyword } };
  };

  const code = fc.oneof(
    fc.stringMatching(/^[ \t]?[0-9]{3}[ -]?[0-9]{3}[ \n]?$/),
    fc.string({ maxLength: 70 }),
    fc.integer(),
    fc.constant(null),
    fc.string({ unit: 'grapheme', minLength: 5, maxLength: 7 }),
  );
  const body = fc.oneof(
    fc.record({ code1: code, code2: code, serialNumber: fc.oneof(fc.string({ maxLength: 300 }), fc.integer()), extra: fc.anything() }, { requiredKeys: [] }),
    fc.anything(),
  );

  test('agrees with a run-time compiled validator on verdict and first error', () => {
    fc.assert(fc.property(body, (candidate) => expect(verdict(precompiled, candidate)).toEqual(verdict(compiled, candidate))), { numRuns: 2000 });
  });

  test.each([
    [{ code1: '123456', code2: '654321' }],
    [{ code1: '123 456', code2: '654-321', serialNumber: 'arn:aws:iam::111122223333:mfa/alice' }],
    [{ code1: '123456' }],
    [{ code1: '123456', code2: '654321', other: 1 }],
    [{ code1: '12345', code2: '654321' }],
    [{ code1: '１２３４５６', code2: '654321' }],
    [{ code1: '123456', code2: '654321', serialNumber: 'short' }],
    [[]],
    ['{}'],
  ])('same answer as run-time ajv for %j', (candidate) => {
    expect(verdict(precompiled, candidate)).toEqual(verdict(compiled, candidate));
  });
});
