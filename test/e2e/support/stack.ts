// SPDX-License-Identifier: Apache-2.0
/**
 * Runs the local stack as a child process, as `npm start` does (`node --import tsx local/start.ts`), on
 * ephemeral ports with a temporary session file. Jest cannot import the ES-module bundle, and a
 * child process is also what makes the stack's own output (the Lambda's logs included) available
 * for the "never logs a code or a token" check.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');

import type { Session, SessionUser } from '../../../local/session';

export type { Session, SessionDevice, SessionUser } from '../../../local/session';

/** A seeded user of the session by Cognito user name; throws when the seed has no such user. */
export function seededUser(session: Session, name: string): SessionUser {
  const found = session.users.find((candidate) => candidate.username === name);
  if (found === undefined) throw new Error(`no seeded user ${name}`);
  return found;
}

export interface LocalStack {
  readonly session: Session;
  /** Where the stack wrote the session (SESSION_FILE if given, else a temporary file). */
  readonly sessionFile: string;
  /** Everything the stack wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

const START_TIMEOUT_MS = 90_000;

export async function startLocalStack(env: Record<string, string> = {}): Promise<LocalStack> {
  const directory = mkdtempSync(path.join(tmpdir(), 'mfa-resync-e2e-'));
  const sessionFile = env.SESSION_FILE ?? path.join(directory, 'session.json');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      // The jest setup silences Powertools; the stack must log as deployed, so leaks would show.
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_DEV: '',
      API_PORT: '0',
      IAM_PORT: '0',
      ISSUER_PORT: '0',
      NO_QR: '1',
      ...env,
      SESSION_FILE: sessionFile,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!existsSync(sessionFile)) {
    if (hasExited || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(directory, { recursive: true, force: true });
      throw new Error(`local stack did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const session = JSON.parse(readFileSync(sessionFile, 'utf8')) as Session;

  return {
    session,
    sessionFile,
    output: () => output,
    async stop() {
      if (!hasExited) child.kill('SIGTERM');
      const code = await exited;
      rmSync(directory, { recursive: true, force: true });
      return code;
    },
  };
}
