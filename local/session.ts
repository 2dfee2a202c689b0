// SPDX-License-Identifier: Apache-2.0
/**
 * `.local/session.json`, exactly the shape of CONTRACT.md "Local stack", written once everything
 * listens (atomically, so a reader polling for the file never sees half of it). In access-token
 * mode each user also gets `accessToken`, the token the gateway then expects.
 *
 * The stack removes the file when it stops: its tokens and URLs are dead then, and a stale file
 * would send `npm run demo` to a stack that is gone.
 */
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export interface SessionDevice {
  readonly serialNumber: string;
  readonly type: 'virtual' | 'hardware' | 'fido';
  /** Base32 TOTP seed; absent for FIDO keys. */
  readonly secret?: string;
}

export interface SessionUser {
  readonly username: string;
  readonly iamUserName: string;
  readonly idToken: string;
  readonly accessToken?: string;
  readonly devices: readonly SessionDevice[];
}

export interface Session {
  readonly apiUrl: string;
  readonly iamEndpoint: string;
  readonly issuer: string;
  readonly jwksUri: string;
  readonly tokenEndpoint: string;
  readonly tokenUse: 'id' | 'access';
  readonly users: readonly SessionUser[];
}

/** Writes the session and returns the text written, for `removeSession`. */
export function writeSession(file: string, session: Session): string {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const text = `${JSON.stringify(session, null, 2)}\n`;
  // 0600: the file holds TOTP seeds and bearer tokens, even if only local ones.
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, file);
  return text;
}

/**
 * Removes the session file if it still holds exactly what this stack wrote: another stack
 * (started later with the same SESSION_FILE on other ports) may have replaced it, and its
 * session is still live. Never throws: stopping must not fail over a file.
 */
export function removeSession(file: string, written: string): void {
  try {
    if (readFileSync(file, 'utf8') === written) unlinkSync(file);
  } catch {
    // Already gone, or unreadable: nothing of ours to remove.
  }
}
