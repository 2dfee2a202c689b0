// SPDX-License-Identifier: Apache-2.0
/**
 * Tokens the local issuer would never sign: another key, `alg: none`, a tampered payload.
 * Built with node:crypto directly (jest cannot load jose, an ES module).
 */
import { generateKeyPairSync, sign } from 'node:crypto';

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function decodePayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** A well-formed RS256 JWT with the claims of `template`, signed by a key the pool never published. */
export function signedWithForeignKey(template: string): string {
  const header = JSON.parse(Buffer.from(template.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const input = `${encode(header)}.${encode(decodePayload(template))}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

/** The same claims, `alg: none`, no signature. */
export function unsigned(template: string): string {
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(decodePayload(template))}.`;
}

/** The original header and signature around a changed payload. */
export function tampered(template: string, changes: Record<string, unknown>): string {
  const [header, , signature] = template.split('.');
  return `${header}.${encode({ ...decodePayload(template), ...changes })}.${signature}`;
}
