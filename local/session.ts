// SPDX-License-Identifier: Apache-2.0
/**
 * `.local/session.json`, exactly the shape of CONTRACT.md "Local stack", written once everything
 * listens (atomically, so a reader polling for the file never sees half of it). In access-token
 * mode each user also gets `accessToken`, the token the gateway then expects.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
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

export function writeSession(file: string, session: Session): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  // 0600: the file holds TOTP seeds and bearer tokens, even if only local ones.
  writeFileSync(temporary, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}
