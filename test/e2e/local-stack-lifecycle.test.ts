// SPDX-License-Identifier: Apache-2.0
/**
 * `npm start` and `npm run demo` as a developer uses them: stopping npm stops the stack (no
 * orphan holding the ports), Ctrl-C stops it with exit 0, a busy port is one clear message, the
 * banner says where the tokens are and prints no QR code into a pipe, the session file goes away
 * with the stack, and the demo without a stack says to start one.
 */
import { execSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT, startLocalStack, type Session } from './support/stack';

jest.setTimeout(120_000);

let directory: string;
const groups: number[] = [];

beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'mfa-resync-lifecycle-'));
});

afterEach(() => {
  // Whatever a failed test left behind (an orphaned stack keeps its process group).
  for (const group of groups.splice(0)) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(directory, { recursive: true, force: true });
});

// The jest setup silences Powertools with a level the stack refuses; the stack logs as deployed.
const STACK_ENV = { API_PORT: '0', IAM_PORT: '0', ISSUER_PORT: '0', NO_QR: '1', POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_DEV: '' };

interface Started {
  readonly child: ChildProcess;
  hasExited(): boolean;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/** Starts `command` in its own process group, as a terminal starts a foreground job. */
function startInGroup(command: string, args: readonly string[], env: Record<string, string>): Started {
  const child = spawn(command, args, { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (child.pid !== undefined) groups.push(child.pid);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  let hasExited = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      hasExited = true;
      resolve({ code, signal });
    }),
  );
  return { child, exited, hasExited: () => hasExited, output: () => output };
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitForSession(started: Started, sessionFile: string): Promise<void> {
  await waitFor(() => existsSync(sessionFile) || started.hasExited(), 90_000, () => `the session file; output:\n${started.output()}`);
  if (!existsSync(sessionFile)) throw new Error(`the stack exited before writing the session:\n${started.output()}`);
}

function ports(session: Session): number[] {
  return [session.apiUrl, session.iamEndpoint, session.issuer].map((url) => Number(new URL(url).port));
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function expectAllClosed(session: Session, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const open = (await Promise.all(ports(session).map(async (port) => ((await listening(port)) ? port : undefined)))).filter(
      (port) => port !== undefined,
    );
    if (open.length === 0) return;
    if (Date.now() > deadline) throw new Error(`ports still listening ${withinMs} ms after the stop: ${open.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function startNpm(sessionFile: string): Promise<{ npm: Started; session: Session }> {
  const npm = startInGroup('npm', ['start'], { ...STACK_ENV, SESSION_FILE: sessionFile });
  await waitForSession(npm, sessionFile);
  return { npm, session: JSON.parse(readFileSync(sessionFile, 'utf8')) as Session };
}

describe('stopping npm start', () => {
  it('SIGTERM to npm stops the stack too: every port is free and the session file is gone', async () => {
    const sessionFile = path.join(directory, 'session.json');
    const { npm, session } = await startNpm(sessionFile);
    expect(await listening(ports(session)[0] as number)).toBe(true);

    npm.child.kill('SIGTERM');
    await npm.exited;
    await expectAllClosed(session, 5000);
    await waitFor(() => !existsSync(sessionFile), 5000, () => 'the session file to be removed');
  });

  it('Ctrl-C (SIGINT to the whole process group) stops the stack', async () => {
    const sessionFile = path.join(directory, 'session.json');
    const { npm, session } = await startNpm(sessionFile);

    process.kill(-(npm.child.pid as number), 'SIGINT');
    await npm.exited;
    await expectAllClosed(session, 5000);
    expect(npm.output()).toContain('SIGINT: stopping the local stack');
    expect(existsSync(sessionFile)).toBe(false);
  });

  it('Ctrl-C on the stack itself exits 0 after closing everything', async () => {
    const sessionFile = path.join(directory, 'session.json');
    const stack = startInGroup(process.execPath, ['--import', 'tsx', 'local/start.ts'], { ...STACK_ENV, SESSION_FILE: sessionFile });
    await waitForSession(stack, sessionFile);
    const session = JSON.parse(readFileSync(sessionFile, 'utf8')) as Session;

    process.kill(-(stack.child.pid as number), 'SIGINT');
    expect(await stack.exited).toEqual({ code: 0, signal: null });
    await expectAllClosed(session, 1000);
    expect(existsSync(sessionFile)).toBe(false);
  });
});

describe('a port already in use', () => {
  let blocker: Server;
  afterEach(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  it('names the port and the variable to change, exits 1, and prints no stack trace', async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as AddressInfo).port;
    const sessionFile = path.join(directory, 'session.json');

    const result = spawnSync(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...STACK_ENV, IAM_PORT: String(busy), SESSION_FILE: sessionFile },
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`port ${busy} (IAM_PORT, the IAM emulator) is already in use`);
    expect(result.stderr).toContain('IAM_PORT=0');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(sessionFile)).toBe(false);
  });
});

describe('the banner', () => {
  it('says the stack is ready, and prints each user a command that prints their token', async () => {
    const stack = await startLocalStack({ NO_QR: '' });
    try {
      const output = stack.output();
      expect(output).toContain('mfa-resync local stack is ready');
      expect(output).toContain(stack.sessionFile);
      const commands = output.split('\n').filter((line) => /^\s+node -p "/.test(line)).map((line) => line.trim());
      expect(commands).toHaveLength(stack.session.users.length);
      commands.forEach((command, index) => {
        expect(execSync(command, { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim()).toBe(stack.session.users[index]?.idToken);
      });
    } finally {
      expect(await stack.stop()).toBe(0);
    }
  });

  it('into a pipe (not a terminal) prints the otpauth URI but no QR code and no escape codes, even without NO_QR', async () => {
    const stack = await startLocalStack({ NO_QR: '' });
    const output = stack.output();
    await stack.stop();
    expect(output).toMatch(/otpauth:\/\/totp\//);
    expect(output).not.toContain('\u001b');
    expect(output).not.toMatch(/[▀▄█]/);
  });

  it('the stack removes its session file when it stops', async () => {
    const sessionFile = path.join(directory, 'session.json');
    const stack = await startLocalStack({ SESSION_FILE: sessionFile });
    expect(existsSync(sessionFile)).toBe(true);
    expect(await stack.stop()).toBe(0);
    expect(existsSync(sessionFile)).toBe(false);
  });
});

describe('npm run demo without a stack', () => {
  function demo(sessionFile: string): { status: number | null; stderr: string } {
    return spawnSync(process.execPath, ['--import', 'tsx', 'local/demo.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, SESSION_FILE: sessionFile },
      encoding: 'utf8',
      timeout: 30_000,
    });
  }

  it('with no session file, says to start the stack', () => {
    const result = demo(path.join(directory, 'missing.json'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('start the local stack first: npm start (in another terminal)');
    expect(result.stderr).toContain('SESSION_FILE');
  });

  it('with a stale session file (the stack was killed), says to start the stack', async () => {
    // Two ports that were free a moment ago and now are closed.
    const closed: number[] = [];
    for (let index = 0; index < 2; index += 1) {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      closed.push((server.address() as AddressInfo).port);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    const sessionFile = path.join(directory, 'stale.json');
    const device = { serialNumber: 'arn:aws:iam::111122223333:mfa/alice-phone', type: 'virtual', secret: 'JBSWY3DPEHPK3PXP' };
    writeFileSync(
      sessionFile,
      JSON.stringify({
        apiUrl: `http://127.0.0.1:${closed[0]}`,
        iamEndpoint: `http://127.0.0.1:${closed[1]}`,
        tokenUse: 'id',
        users: [{ username: 'alice', iamUserName: 'alice', idToken: 'x', devices: [device] }],
      }),
    );
    const result = demo(sessionFile);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('start the local stack first: npm start (in another terminal)');
    expect(result.stderr).not.toContain('fetch failed');
  });
});
