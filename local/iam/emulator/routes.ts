// SPDX-License-Identifier: Apache-2.0
/**
 * Emulator-only routes under `/_emulator/` (JSON in, JSON out). None of this exists in AWS; it
 * lets people and tests see the effect of a resync, count calls and inject faults.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IamStore } from '../state/store';
import type { CallLog } from './calls';
import { FaultRegistry, parseFaultSpec } from './faults';

export interface EmulatorRouteDeps {
  readonly store: IamStore;
  readonly calls: CallLog;
  readonly faults: FaultRegistry;
  readonly reset: () => void;
}

function sendJson(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text);
}

function parseJson(body: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: body === '' ? {} : (JSON.parse(body) as unknown) };
  } catch {
    return { ok: false };
  }
}

function signIn(deps: EmulatorRouteDeps, body: unknown, res: ServerResponse): void {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const { serialNumber, code } = b;
  if (typeof serialNumber !== 'string' || typeof code !== 'string' || !/^\d{6}$/.test(code)) {
    sendJson(res, 400, { error: 'invalid-request', message: 'expected {"serialNumber": string, "code": six digits}' });
    return;
  }
  const found = deps.store.findDevice(serialNumber);
  if (found === undefined) {
    sendJson(res, 404, { error: 'device-not-found', message: `no device with serial number ${serialNumber}` });
    return;
  }
  // A FIDO key has no codes; answering `false` keeps the route's contract a plain yes/no.
  sendJson(res, 200, { accepted: deps.store.signIn(found.device, code) });
}

/** Handles a request whose path starts with `/_emulator/`. */
export function handleEmulatorRoute(deps: EmulatorRouteDeps, req: IncomingMessage, path: string, rawBody: string, res: ServerResponse): void {
  const route = `${req.method ?? 'GET'} ${path.replace(/\/+$/, '')}`;
  const needsJson = route.startsWith('POST ');
  const parsed = needsJson ? parseJson(rawBody) : ({ ok: true, value: undefined } as const);
  if (!parsed.ok) {
    sendJson(res, 400, { error: 'invalid-json', message: 'the body is not JSON' });
    return;
  }
  switch (route) {
    case 'POST /_emulator/sign-in':
      signIn(deps, parsed.value, res);
      return;
    case 'GET /_emulator/calls':
      sendJson(res, 200, { counts: deps.calls.countsByAction(), calls: deps.calls.recent() });
      return;
    case 'DELETE /_emulator/calls':
    case 'POST /_emulator/calls/reset':
      deps.calls.clear();
      sendJson(res, 204);
      return;
    case 'GET /_emulator/faults':
      sendJson(res, 200, { faults: deps.faults.list() });
      return;
    case 'POST /_emulator/faults': {
      const spec = parseFaultSpec(parsed.value);
      if (typeof spec === 'string') sendJson(res, 400, { error: 'invalid-fault', message: spec });
      else sendJson(res, 201, deps.faults.add(spec));
      return;
    }
    case 'DELETE /_emulator/faults':
      deps.faults.clear();
      sendJson(res, 204);
      return;
    case 'POST /_emulator/reset':
      deps.reset();
      sendJson(res, 204);
      return;
    case 'GET /_emulator/devices':
      // Loopback only, like everything here; the local stack publishes the same secrets in `.local/session.json`.
      sendJson(res, 200, { devices: deps.store.allDevices() });
      return;
    default:
      sendJson(res, 404, { error: 'not-found', message: `no emulator route ${route}` });
  }
}
