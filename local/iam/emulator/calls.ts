// SPDX-License-Identifier: Apache-2.0
/** Per-action call counters and a bounded log of recent IAM calls (emulator-only). */
import type { CallRecord } from '../types';

const LOG_LIMIT = 1000;

export class CallLog {
  private counts = new Map<string, number>();
  private log: CallRecord[] = [];

  record(call: CallRecord): void {
    this.counts.set(call.action, (this.counts.get(call.action) ?? 0) + 1);
    this.log.push(call);
    // Long-running local stacks must not grow without bound.
    if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
  }

  countsByAction(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  recent(): readonly CallRecord[] {
    return this.log;
  }

  clear(): void {
    this.counts = new Map();
    this.log = [];
  }
}
