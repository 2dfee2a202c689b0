// SPDX-License-Identifier: Apache-2.0
/**
 * Requests Node's HTTP parser rejects before there is a request object ('clientError'). By
 * default Node answers them itself with an empty 400, 408 or 431, which would break the
 * contract's rule that every error is `application/problem+json`. Here they get a problem
 * document instead, with `Connection: close` (the connection cannot be parsed any further):
 *
 * - an unknown method (`FOO /v1/me/mfa-devices`): Node's parser only knows the methods it has a
 *   table for, but any token is a valid method name, and API Gateway answers a method it has no
 *   route for with MISSING_AUTHENTICATION_TOKEN, which the construct customises to 404
 *   `route-not-found` (F-5.6.1). Same gateway response as for a known method on no route.
 * - headers too large: Node refuses more than 16 KiB of header data. API Gateway's limit is
 *   10,240 bytes of header values in total (F-5.9.1), and what it answers then is not
 *   documented. The contract has no 431, so this is 400 `invalid-request` (local/README.md,
 *   "Differences from AWS").
 * - anything else (bad syntax, a bad header, a request line or body not sent in time): 400
 *   `invalid-request`.
 *
 * A reset connection, one no longer writable, or one with a response already under way (a
 * pipelined request) is only destroyed, as Node does: writing to it could corrupt an answer.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { problemDocument } from '../../lambda/http/problems';
import { renderGatewayError, type RenderedGatewayError } from './gateway-errors';

/** RFC 9110 §5.6.2 `token`: what a method name may be. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** How long a closed-for-writing connection keeps draining what the client still sends. */
const LINGER_MS = 2000;

interface ParserError extends Error {
  readonly code?: string;
  readonly bytesParsed?: number;
  readonly rawPacket?: Buffer;
}

export interface ClientErrorOptions {
  readonly allowedOrigins: readonly string[];
  /** Called once an answer has been written, for the stack's access log. */
  readonly onAnswer?: (line: { status: number; requestId: string; reason: string }) => void;
}

export function createClientErrorHandler(options: ClientErrorOptions): (error: ParserError, socket: Duplex) => void {
  return (error, socket) => {
    const pending = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || (pending !== undefined && pending !== null)) {
      socket.destroy();
      return;
    }
    const requestId = randomUUID();
    const answer = answerFor(error, requestId, options.allowedOrigins);
    const head = [
      `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ''}`,
      ...Object.entries(answer.headers).map(([name, value]) => `${name}: ${value}`),
      'Connection: close',
      '',
      '',
    ].join('\r\n');
    socket.end(head + answer.body);
    // Keep reading (and dropping) what the client is still sending, e.g. the rest of an
    // oversized header: closing a socket with unread data resets it, and the client would lose
    // the answer. The connection is cut after a short grace period either way.
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.resume();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
    options.onAnswer?.({ status: answer.status, requestId, reason: error.code ?? 'client error' });
  };
}

function answerFor(error: ParserError, requestId: string, allowedOrigins: readonly string[]): RenderedGatewayError {
  if (error.code === 'HPE_INVALID_METHOD' && TOKEN.test(methodAt(error) ?? '')) {
    return renderGatewayError('MISSING_AUTHENTICATION_TOKEN', requestId, allowedOrigins, undefined);
  }
  const detail =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 'The request headers are too large. API Gateway accepts at most 10,240 bytes of header values in total.'
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'The request was not received in time. Send the whole request at once.'
        : 'The request is not valid HTTP/1.1. Send a well-formed request.';
  // BAD_REQUEST_BODY's status, headers (CORS included) and error type, with this detail.
  const rendered = renderGatewayError('BAD_REQUEST_BODY', requestId, allowedOrigins, undefined);
  const body = JSON.stringify(problemDocument('invalid-request', requestId, { detail }));
  return { ...rendered, headers: { ...rendered.headers, 'Content-Length': Buffer.byteLength(body).toString() }, body };
}

/** The method of the request line the parser stopped in, if the packet shows it. */
function methodAt(error: ParserError): string | undefined {
  if (error.rawPacket === undefined) return undefined;
  const text = error.rawPacket.toString('latin1');
  const at = Math.min(error.bytesParsed ?? 0, text.length);
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  return text.slice(lineStart).split(/[ \r\n]/, 1)[0];
}
