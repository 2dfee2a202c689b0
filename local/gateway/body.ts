// SPDX-License-Identifier: Apache-2.0
/**
 * Reads a request body up to API Gateway's REST payload limit of 10 MB (F-5.9.1). The count is
 * kept while streaming, so an oversized or endless body never sits in memory: past the limit the
 * rest is discarded as it arrives.
 */
import type { IncomingMessage } from 'node:http';

export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export type BodyResult = { readonly ok: true; readonly body: Buffer } | { readonly ok: false; readonly reason: 'too-large' };

export function readBody(req: IncomingMessage, limit = MAX_PAYLOAD_BYTES): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    discard(req);
    return Promise.resolve({ ok: false, reason: 'too-large' });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        discard(req);
        resolve({ ok: false, reason: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve({ ok: true, body: Buffer.concat(chunks) }));
    req.once('error', reject);
  });
}

/**
 * Lets the rest of an oversized body flow into nothing, so the client can read the 413 instead of
 * seeing a reset; a sender that keeps going for long is cut off.
 */
function discard(req: IncomingMessage): void {
  req.resume();
  const timer = setTimeout(() => req.socket.destroy(), 10_000);
  timer.unref();
  req.once('end', () => clearTimeout(timer));
}
