// SPDX-License-Identifier: Apache-2.0
import fc from 'fast-check';
import { normaliseCode, normaliseCodes } from '../../../lambda/domain/codes';
import { codeOf } from '../../fixtures/domain-errors';


describe('normalising an authentication code', () => {
  it.each([
    ['123456', '123456'],
    ['012345', '012345'],
    ['123 456', '123456'],
    ['123-456', '123456'],
    ['  123456  ', '123456'],
    ['\t123456\r\n', '123456'],
    [' \n123-456\t ', '123456'],
  ])('accepts %p as %p', (raw, normalised) => {
    // Act
    const code = normaliseCode('code1', raw);

    // Assess
    expect(code).toBe(normalised);
  });

  it.each([
    ['five digits', '12345'],
    ['seven digits', '1234567'],
    ['two separators', '123 - 456'],
    ['a separator elsewhere', '12-3456'],
    ['two spaces in the middle', '123  456'],
    ['a dot', '123.456'],
    ['an underscore', '123_456'],
    ['a tab in the middle', '123\t456'],
    ['letters', '12a456'],
    ['full-width digits', '１２３４５６'],
    ['Arabic-Indic digits', '١٢٣٤٥٦'],
    ['a no-break space around', '\u00a0123456'],
    ['an ideographic space around', '123456\u3000'],
    ['a vertical tab around', '\u000b123456'],
    ['a form feed around', '123456\f'],
    ['an empty string', ''],
  ])('rejects %s as invalid-request', (_label, raw) => {
    // Act
    const code = codeOf(() => normaliseCode('code1', raw));

    // Assess
    expect(code).toBe('invalid-request');
  });

  it.each([
    ['a JSON number', 123456],
    ['null', null],
    ['an array', ['123456']],
    ['an object', { code: '123456' }],
  ])('rejects %s because only strings keep leading zeros', (_label, raw) => {
    // Act
    const code = codeOf(() => normaliseCode('code1', raw));

    // Assess
    expect(code).toBe('invalid-request');
  });

  it('keeps the submitted code out of the error message and detail', () => {
    // Prepare
    let error: Error & { detail?: string } = new Error();

    // Act
    try {
      normaliseCode('code2', '98765x');
    } catch (caught) {
      error = caught as Error & { detail?: string };
    }

    // Assess
    expect(error.detail).toMatch(/^code2 must be/);
    expect(`${error.message} ${error.detail ?? ''}`).not.toContain('98765');
  });

  it('turns every six-digit string with one optional separator into its six digits', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{6}$/),
        fc.constantFrom('', ' ', '-'),
        fc.stringMatching(/^[ \t\r\n]{0,3}$/),
        fc.stringMatching(/^[ \t\r\n]{0,3}$/),
        (digits, separator, before, after) => {
          // Act
          const code = normaliseCode('code1', `${before}${digits.slice(0, 3)}${separator}${digits.slice(3)}${after}`);

          // Assess
          expect(code).toBe(digits);
        },
      ),
    );
  });
});

describe('normalising both codes', () => {
  it('returns both codes normalised', () => {
    // Act
    const codes = normaliseCodes({ code1: '123 456', code2: '654-321' });

    // Assess
    expect(codes).toEqual({ code1: '123456', code2: '654321' });
  });

  it('reports identical-codes when the codes are equal once normalised', () => {
    // Act
    const code = codeOf(() => normaliseCodes({ code1: ' 123-456', code2: '123 456\n' }));

    // Assess
    expect(code).toBe('identical-codes');
  });

  it('reports invalid-request before identical-codes', () => {
    // Act
    const code = codeOf(() => normaliseCodes({ code1: 123456, code2: 123456 }));

    // Assess
    expect(code).toBe('invalid-request');
  });
});
