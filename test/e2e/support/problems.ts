// SPDX-License-Identifier: Apache-2.0
/** Assertions shared by the e2e suites: the contract's error shape, and the leak check. */
import { PROBLEM_CONTENT_TYPE, problemDocument, type ProblemCode } from '../../../lambda/http/problems';
import type { Answer } from './http';

/** Every error is problem+json (RFC 9457) with the contract's members, matching the catalogue. */
export function expectProblem(answer: Answer, status: number, code: ProblemCode): void {
  expect({ status: answer.status, code: answer.json?.code }).toEqual({ status, code });
  expect(answer.headers['content-type']).toMatch(new RegExp(`^${PROBLEM_CONTENT_TYPE.replace('+', '\\+')}`));
  const body = answer.json ?? {};
  const requestId = body.requestId;
  expect(typeof requestId).toBe('string');
  expect(answer.headers['x-amzn-requestid']).toBe(requestId);
  // type, title, status and code come from the catalogue; detail may be more specific.
  const expected = problemDocument(code, requestId as string);
  expect(body).toMatchObject({ type: expected.type, title: expected.title, status, code });
  expect(typeof body.detail).toBe('string');
}

/** Collects every code and token a suite sends, to check the stack never printed one. */
export class Secrets {
  private readonly values = new Set<string>();

  add<T extends string>(value: T): T {
    this.values.add(value);
    return value;
  }

  /** The secrets that appear in `text`: a code only as a whole number, a token or its signature anywhere. */
  foundIn(text: string): string[] {
    return [...this.values].filter((value) => {
      if (/^\d{6}$/.test(value)) {
        const spaced = `${value.slice(0, 3)}[ -]?${value.slice(3)}`;
        return new RegExp(`(?<![0-9])${spaced}(?![0-9])`).test(text);
      }
      const signature = value.split('.')[2];
      return text.includes(value) || (signature !== undefined && signature.length > 20 && text.includes(signature));
    });
  }

  get size(): number {
    return this.values.size;
  }
}
