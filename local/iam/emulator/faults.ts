// SPDX-License-Identifier: Apache-2.0
/**
 * Injected faults (emulator-only, `/_emulator/faults`). Each fault targets one action or all
 * (`*`) and fires for a number of requests or always. Latency faults delay a request and then let
 * it continue (and combine with one other fault); every other fault replaces the answer.
 */

export const FAULT_KINDS = [
  'Throttling',
  'ServiceFailure',
  'ConcurrentModification',
  'LimitExceeded',
  'AccessDenied',
  'latency',
  'malformed',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  /** An IAM action name, or `*` for every action. */
  readonly action: string;
  readonly fault: FaultKind;
  /** How many matching requests it affects, or `always`. */
  readonly count: number | 'always';
  /** For `latency`: the delay in milliseconds. */
  readonly latencyMs?: number;
  /** For `malformed`: the HTTP status of the garbage answer, 200 or 500. */
  readonly status?: 200 | 500;
}

export interface Fault extends FaultSpec {
  readonly id: number;
  remaining: number | 'always';
}

/** Parses the JSON body of `POST /_emulator/faults`; returns an error sentence for bad input. */
export function parseFaultSpec(body: unknown): FaultSpec | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body must be a JSON object';
  const b = body as Record<string, unknown>;
  const known = new Set(['action', 'fault', 'count', 'latencyMs', 'status']);
  const unknown = Object.keys(b).filter((k) => !known.has(k));
  if (unknown.length > 0) return `unknown fields: ${unknown.join(', ')}`;
  const action = b['action'] ?? '*';
  if (typeof action !== 'string' || action === '') return 'action must be an action name or "*"';
  const fault = b['fault'];
  if (typeof fault !== 'string' || !(FAULT_KINDS as readonly string[]).includes(fault)) return `fault must be one of ${FAULT_KINDS.join(', ')}`;
  const count = b['count'] ?? 1;
  if (count !== 'always' && !(typeof count === 'number' && Number.isInteger(count) && count > 0)) return 'count must be a positive integer or "always"';
  const spec: { -readonly [K in keyof FaultSpec]: FaultSpec[K] } = { action, fault: fault as FaultKind, count };
  if (fault === 'latency') {
    const ms = b['latencyMs'];
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > 120_000) return 'latencyMs must be a number of milliseconds (0-120000)';
    spec.latencyMs = ms;
  } else if (b['latencyMs'] !== undefined) {
    return 'latencyMs applies to the latency fault only';
  }
  if (fault === 'malformed') {
    const status = b['status'] ?? 200;
    if (status !== 200 && status !== 500) return 'status must be 200 or 500';
    spec.status = status;
  } else if (b['status'] !== undefined) {
    return 'status applies to the malformed fault only';
  }
  return spec;
}

export interface TakenFaults {
  readonly latencyMs: number;
  readonly fault?: Fault;
}

export class FaultRegistry {
  private faults: Fault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    const fault: Fault = { ...spec, id: this.nextId, remaining: spec.count };
    this.nextId += 1;
    this.faults.push(fault);
    return fault;
  }

  list(): readonly Fault[] {
    return this.faults;
  }

  clear(): void {
    this.faults = [];
  }

  /** Consumes what applies to one request of `action`: all matching latency faults, then the first other fault. */
  take(action: string): TakenFaults {
    let latencyMs = 0;
    let chosen: Fault | undefined;
    for (const f of this.faults) {
      if (f.action !== '*' && f.action !== action) continue;
      if (f.fault === 'latency') {
        latencyMs = Math.max(latencyMs, f.latencyMs ?? 0);
        this.consume(f);
      } else if (chosen === undefined) {
        chosen = f;
        this.consume(f);
      }
    }
    this.faults = this.faults.filter((f) => f.remaining === 'always' || f.remaining > 0);
    return chosen === undefined ? { latencyMs } : { latencyMs, fault: chosen };
  }

  private consume(f: Fault): void {
    if (f.remaining !== 'always') f.remaining -= 1;
  }
}
