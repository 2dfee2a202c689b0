// SPDX-License-Identifier: Apache-2.0
/**
 * Requests Node's HTTP parser refuses before the gateway sees them (local/gateway/client-error.ts),
 * sent over raw sockets because no HTTP client sends them: they must still be answered with the
 * contract's problem documents, not Node's empty 400 / 431.
 */
import type { Answer } from './support/http';
import { expectProblem } from './support/problems';
import { rawRequest, type RawAnswer } from './support/raw';
import { startLocalStack, type LocalStack } from './support/stack';

jest.setTimeout(30_000);

const LIST = '/v1/me/mfa-devices';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

function asAnswer(answer: RawAnswer): Answer {
  return { status: answer.status, headers: answer.headers, text: answer.body, json: answer.json };
}

function request(lines: readonly string[]): string {
  return `${lines.join('\r\n')}\r\n\r\n`;
}

describe('requests the HTTP parser refuses', () => {
  it('answers an unknown method on a known path (FOO) with 404 route-not-found, as API Gateway does', async () => {
    const answer = await rawRequest(stack.session.apiUrl, request([`FOO ${LIST} HTTP/1.1`, 'Host: localhost']));
    expectProblem(asAnswer(answer), 404, 'route-not-found');
    expect(answer.headers.connection).toBe('close');
    expect(answer.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
  });

  it('answers a method the parser knows but no route has (PROPFIND) with the same 404', async () => {
    const answer = await rawRequest(stack.session.apiUrl, request([`PROPFIND ${LIST} HTTP/1.1`, 'Host: localhost', 'Connection: close']));
    expectProblem(asAnswer(answer), 404, 'route-not-found');
  });

  it('answers headers over the size limit with 400 invalid-request, not an empty 431', async () => {
    const big = 'a'.repeat(70 * 1024);
    const answer = await rawRequest(stack.session.apiUrl, request([`GET ${LIST} HTTP/1.1`, 'Host: localhost', `X-Big: ${big}`]));
    expectProblem(asAnswer(answer), 400, 'invalid-request');
    expect(answer.json?.detail).toMatch(/headers are too large/);
    expect(answer.headers.connection).toBe('close');
  });

  it.each([
    ['a header line without a colon', request([`GET ${LIST} HTTP/1.1`, 'Host: localhost', 'Bad Header'])],
    ['a method that is not a token', request([`G(T ${LIST} HTTP/1.1`, 'Host: localhost'])],
    ['an unknown HTTP version', request([`GET ${LIST} HTTP/7.3`, 'Host: localhost'])],
    ['a TLS handshake sent to plain HTTP', Buffer.from('160301020001000100', 'hex')],
  ])('answers %s with 400 invalid-request', async (_name, bytes) => {
    const answer = await rawRequest(stack.session.apiUrl, bytes);
    expectProblem(asAnswer(answer), 400, 'invalid-request');
    expect(answer.headers.connection).toBe('close');
  });

  it('still serves well-formed requests afterwards', async () => {
    const answer = await rawRequest(stack.session.apiUrl, request([`GET ${LIST} HTTP/1.1`, 'Host: localhost', 'Connection: close']));
    expectProblem(asAnswer(answer), 401, 'unauthenticated');
  });
});
