// SPDX-License-Identifier: Apache-2.0
/**
 * What the hostile suites need beyond test/e2e/support (which they import): a request that
 * can carry a raw, unnormalised path and a repeated header, tokens no pool would sign
 * (HS256 keyed with the pool's public key), the emulator's call counters per action, and a
 * scan of the stack's output for leaked codes and tokens and for the audit lines.
 */
import { createHmac, createPublicKey, type JsonWebKey } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { Answer } from '../e2e/support/http';
import { call, readAnswer } from '../e2e/support/http';
import { decodePayload } from '../e2e/support/tokens';

export type HeaderValue = string | readonly string[];

export interface RawRequest {
  readonly method: string;
  /** Sent byte for byte: `call()` takes a URL, which resolves `..` and cannot repeat a header. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, HeaderValue>>;
  readonly body?: string | Buffer;
}

export function send(baseUrl: string, request: RawRequest): Promise<Answer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: hostname, port, method: request.method, path: request.path, headers: request.headers as Record<string, string | string[]> },
      (res) => {
        readAnswer(res).then(resolve, reject);
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Key confusion: the token's claims, `alg: HS256`, MACed with the pool's RS256 public key (its
 * PEM text) as the shared secret. A verifier that lets the token pick the algorithm accepts it.
 */
export async function hs256WithPublicKey(template: string, jwksUri: string): Promise<string> {
  const jwks = (await call(jwksUri)).json as { keys: Array<JsonWebKey & { kid?: string }> };
  const header = JSON.parse(Buffer.from(template.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid?: string };
  const jwk = jwks.keys.find((key) => key.kid === header.kid) ?? jwks.keys[0];
  const pem = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
  const input = `${encode({ alg: 'HS256', typ: 'JWT', kid: header.kid })}.${encode(decodePayload(template))}`;
  return `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
}

/** Authenticated emulator calls since the last reset, every action (STS included). */
export async function iamCalls(iamEndpoint: string): Promise<Record<string, number>> {
  return ((await call(`${iamEndpoint}/_emulator/calls`)).json?.counts ?? {}) as Record<string, number>;
}

export const totalCalls = (counts: Record<string, number>): number => Object.values(counts).reduce((sum, n) => sum + n, 0);

/** Unicode digits and white space folded to ASCII, so a leak of a code's normalised form is found too. */
const UNICODE_DIGIT_BASES = [0xff10, 0x0660, 0x06f0, 0x0966];

export function asciiDigitsOf(value: string): string {
  let out = '';
  for (const ch of value) {
    const point = ch.codePointAt(0) ?? 0;
    const base = UNICODE_DIGIT_BASES.find((candidate) => point >= candidate && point <= candidate + 9);
    if (base !== undefined) out += String(point - base);
    else if (/[0-9]/.test(ch)) out += ch;
  }
  return out;
}

/**
 * Every code and token a suite sends. A code counts as leaked when its six digits appear as a
 * whole word, optionally split by a space or hyphen after the third digit: `(?<![0-9A-Za-z])`
 * keeps random hex (request ids, trace ids) from matching by chance. A token counts when it
 * appears whole, or its signature does.
 */
export class LeakScan {
  private readonly codes = new Set<string>();
  private readonly tokens = new Set<string>();

  /** Remembers every six-digit run the value holds after folding Unicode digits to ASCII. */
  code<T>(value: T): T {
    const scan = (item: unknown): void => {
      if (typeof item === 'string') {
        const digits = asciiDigitsOf(item);
        if (digits.length >= 6 && digits.length <= 12) {
          for (let i = 0; i + 6 <= digits.length; i += 1) this.codes.add(digits.slice(i, i + 6));
        }
      } else if (typeof item === 'number') {
        scan(String(item).padStart(6, '0'));
      } else if (Array.isArray(item)) {
        item.forEach(scan);
      } else if (item !== null && typeof item === 'object') {
        Object.values(item).forEach(scan);
      }
    };
    scan(value);
    return value;
  }

  token<T extends string>(value: T): T {
    if (value.length > 20) this.tokens.add(value);
    return value;
  }

  get size(): { codes: number; tokens: number } {
    return { codes: this.codes.size, tokens: this.tokens.size };
  }

  foundIn(text: string): string[] {
    const codes = [...this.codes].filter((code) =>
      new RegExp(`(?<![0-9A-Za-z])${code.slice(0, 3)}[ -]?${code.slice(3)}(?![0-9A-Za-z])`).test(text),
    );
    const tokens = [...this.tokens].filter((token) => {
      const signature = token.split('.')[2];
      return text.includes(token) || (signature !== undefined && signature.length > 20 && text.includes(signature));
    });
    return [...codes, ...tokens.map((token) => `token …${token.slice(-12)}`)];
  }
}

/** The Lambda's JSON log lines in the stack output (`[lambda] {...}`). */
export function lambdaLogLines(output: string): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('[lambda] {')) continue;
    try {
      lines.push(JSON.parse(line.slice('[lambda] '.length)) as Record<string, unknown>);
    } catch {
      // A line split by the pipe is not JSON; the audit checks need whole lines only.
    }
  }
  return lines;
}
