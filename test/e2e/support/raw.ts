// SPDX-License-Identifier: Apache-2.0
/**
 * A raw TCP client for requests no HTTP client will send (unknown methods, oversized or broken
 * headers): writes the bytes as given and parses the answer by hand, until the server closes.
 */
import { connect } from 'node:net';

export interface RawAnswer {
  readonly status: number;
  /** Header names lower-cased; the last value wins. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The body parsed as JSON, or undefined. */
  readonly json: Record<string, unknown> | undefined;
  /** Everything the server sent. */
  readonly raw: string;
}

export function rawRequest(baseUrl: string, request: string | Buffer, timeoutMs = 10_000): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: hostname, port: Number(port) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms; got: ${Buffer.concat(chunks).toString('latin1')}`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset after the answer arrived (the server stops reading a request it refused) still counts.
    socket.on('error', (error) => (chunks.length === 0 ? finish(error) : undefined));
    socket.on('close', () => finish());

    function finish(error?: Error): void {
      clearTimeout(timer);
      if (error !== undefined) return reject(error);
      const raw = Buffer.concat(chunks).toString('utf8');
      const split = raw.indexOf('\r\n\r\n');
      if (split < 0) return reject(new Error(`not an HTTP response: ${JSON.stringify(raw)}`));
      const [statusLine = '', ...lines] = raw.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const body = raw.slice(split + 4);
      let json: Record<string, unknown> | undefined;
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        json = undefined;
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body, json, raw });
    }
  });
}
