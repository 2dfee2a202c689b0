// SPDX-License-Identifier: Apache-2.0
/** HTTP server wiring: loopback only, `/_emulator/*` to the emulator routes, everything else to IAM. */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessControl } from './auth/access-control';
import { CallLog } from './emulator/calls';
import { FaultRegistry } from './emulator/faults';
import { handleEmulatorRoute } from './emulator/routes';
import { handleIamRequest } from './iam-endpoint';
import { resolveSeed } from './state/seed';
import { IamStore } from './state/store';
import type { IamEmulator, IamEmulatorOptions, TotpWindows } from './types';

/** Far above any awsQuery request this emulator serves; stops a runaway client from filling memory. */
const MAX_BODY_BYTES = 1024 * 1024;

export const DEFAULT_WINDOWS: TotpWindows = { signInSteps: 1, resyncSteps: 1000 };

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startIamEmulator(options: IamEmulatorOptions): Promise<IamEmulator> {
  const clock = options.clock ?? Date.now;
  const windows: TotpWindows = { ...DEFAULT_WINDOWS, ...options.windows };
  for (const [name, value] of Object.entries(windows)) {
    if (!Number.isInteger(value) || value < 0) throw new Error(`IAM emulator: window ${name} must be a non-negative integer`);
  }
  const seed = resolveSeed(options.seed, clock());
  const store = new IamStore(seed, clock, windows);
  const access = new AccessControl(options.seed, clock, seed.accountId, seed.partition);
  const calls = new CallLog();
  const faults = new FaultRegistry();
  const reset = (): void => {
    store.reset();
    access.sessions.clear();
    calls.clear();
    faults.clear();
  };
  const iamDeps = { store, calls, faults, access, accountId: seed.accountId, partition: seed.partition };
  const emulatorDeps = { store, calls, faults, reset };

  const server = createServer((req, res) => {
    void (async () => {
      try {
        const body = await readBody(req);
        if (body === undefined) {
          res.writeHead(413).end();
          return;
        }
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        if (url.pathname.startsWith('/_emulator/')) handleEmulatorRoute(emulatorDeps, req, url.pathname, body, res);
        // Query services route on Action, not on the path; any other path is treated as `/`.
        else await handleIamRequest(iamDeps, req, url, body, res);
      } catch {
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    accountId: seed.accountId,
    partition: seed.partition,
    windows,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets from SDK clients would otherwise hold close() open.
        server.closeAllConnections();
      }),
    reset,
    device: (serialNumber) => {
      const found = store.findDevice(serialNumber);
      return found === undefined ? undefined : store.snapshot(found.user, found.device);
    },
    devices: () => store.allDevices(),
    callCounts: () => calls.countsByAction(),
    calls: () => [...calls.recent()],
  };
}
