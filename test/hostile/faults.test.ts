// SPDX-License-Identifier: Apache-2.0
/**
 * The IAM fault matrix through the local stack: the emulator injects a fault into one action
 * (`/_emulator/faults`), the request goes through the gateway and the deployed bundle in the
 * default (scoped) mode, and the emulator's call counter shows how often the action was tried.
 *
 * - Lookups (GetUser, ListMFADevices) are read-only: retried within a bound, then 429 with
 *   Retry-After (throttling) or 503 (failures).
 * - ResyncMFADevice consumes the codes: never retried, so every fault is answered at once from
 *   the one attempt.
 * - Latency past the budget is 503 well before the function's 15 s timeout; a second stack with
 *   a small IAM_BUDGET_MS keeps those rows fast.
 *
 * The observed matrix is printed at the end.
 */
import { call, postJson, type Answer } from '../e2e/support/http';
import { injectFault, resetIam } from '../e2e/support/iam';
import { expectProblem } from '../e2e/support/problems';
import { startLocalStack, type LocalStack } from '../e2e/support/stack';
import type { ProblemCode } from '../../lambda/http/problems';
import { iamCalls, LeakScan } from './support';

jest.setTimeout(60_000);

const LIST = '/v1/me/mfa-devices';
const RESYNC = '/v1/me/mfa-devices/resync';
/** Attempts of a lookup (the adapters' LISTING_MAX_ATTEMPTS and STS_MAX_ATTEMPTS are 3 and 2). */
const LOOKUP_BOUND = 3;
const STS_BOUND = 2;
const FUNCTION_TIMEOUT_MS = 15_000;
const TIGHT_BUDGET_MS = 1500;
const LATENCY_MS = 2500;

type Action = 'GetUser' | 'ListMFADevices' | 'ResyncMFADevice' | 'AssumeRole';
type Fault = 'Throttling' | 'ServiceFailure' | 'ConcurrentModification' | 'LimitExceeded' | 'AccessDenied' | 'latency' | 'malformed';

interface Row {
  readonly action: Action;
  readonly fault: Fault;
  readonly count: 1 | 'always';
  readonly status?: 200 | 500;
  readonly route: 'list' | 'resync';
  readonly expect: {
    readonly status: number;
    readonly code?: ProblemCode;
    readonly retryAfter?: boolean;
    /** Calls of the faulted action: [min, max]. */
    readonly attempts: readonly [number, number];
    /** Whether ResyncMFADevice may be reached at all. */
    readonly resyncCalls?: number;
  };
}

const lookupRows = (action: 'GetUser' | 'ListMFADevices'): Row[] => [
  { action, fault: 'Throttling', count: 1, route: 'list', expect: { status: 200, attempts: [2, 2] } },
  { action, fault: 'Throttling', count: 'always', route: 'list', expect: { status: 429, code: 'rate-limited', retryAfter: true, attempts: [2, LOOKUP_BOUND] } },
  { action, fault: 'LimitExceeded', count: 'always', route: 'list', expect: { status: 429, code: 'rate-limited', retryAfter: true, attempts: [1, LOOKUP_BOUND] } },
  { action, fault: 'ServiceFailure', count: 1, route: 'list', expect: { status: 200, attempts: [2, 2] } },
  { action, fault: 'ServiceFailure', count: 'always', route: 'list', expect: { status: 503, code: 'upstream-unavailable', attempts: [2, LOOKUP_BOUND] } },
  { action, fault: 'malformed', count: 'always', status: 200, route: 'list', expect: { status: 503, code: 'upstream-unavailable', attempts: [1, LOOKUP_BOUND] } },
  { action, fault: 'malformed', count: 'always', status: 500, route: 'list', expect: { status: 503, code: 'upstream-unavailable', attempts: [1, LOOKUP_BOUND] } },
  { action, fault: 'ConcurrentModification', count: 'always', route: 'list', expect: { status: 409, code: 'conflict', attempts: [1, LOOKUP_BOUND] } },
  // On the resync route: a lookup that keeps failing never lets the codes reach IAM.
  { action, fault: 'Throttling', count: 'always', route: 'resync', expect: { status: 429, code: 'rate-limited', retryAfter: true, attempts: [2, LOOKUP_BOUND], resyncCalls: 0 } },
  { action, fault: 'ServiceFailure', count: 'always', route: 'resync', expect: { status: 503, code: 'upstream-unavailable', attempts: [2, LOOKUP_BOUND], resyncCalls: 0 } },
];

const resyncRows: Row[] = [
  { action: 'ResyncMFADevice', fault: 'Throttling', count: 1, route: 'resync', expect: { status: 429, code: 'rate-limited', retryAfter: true, attempts: [1, 1] } },
  { action: 'ResyncMFADevice', fault: 'Throttling', count: 'always', route: 'resync', expect: { status: 429, code: 'rate-limited', retryAfter: true, attempts: [1, 1] } },
  { action: 'ResyncMFADevice', fault: 'LimitExceeded', count: 1, route: 'resync', expect: { status: 429, code: 'rate-limited', retryAfter: true, attempts: [1, 1] } },
  { action: 'ResyncMFADevice', fault: 'ServiceFailure', count: 1, route: 'resync', expect: { status: 503, code: 'upstream-unavailable', attempts: [1, 1] } },
  { action: 'ResyncMFADevice', fault: 'ConcurrentModification', count: 1, route: 'resync', expect: { status: 409, code: 'conflict', attempts: [1, 1] } },
  { action: 'ResyncMFADevice', fault: 'malformed', count: 1, status: 200, route: 'resync', expect: { status: 503, code: 'upstream-unavailable', attempts: [1, 1] } },
  { action: 'ResyncMFADevice', fault: 'malformed', count: 1, status: 500, route: 'resync', expect: { status: 503, code: 'upstream-unavailable', attempts: [1, 1] } },
];

const stsRows: Row[] = [
  { action: 'AssumeRole', fault: 'Throttling', count: 1, route: 'list', expect: { status: 200, attempts: [3, 3] } },
  { action: 'AssumeRole', fault: 'Throttling', count: 'always', route: 'list', expect: { status: 429, code: 'rate-limited', retryAfter: true, attempts: [1, STS_BOUND] } },
  { action: 'AssumeRole', fault: 'ServiceFailure', count: 'always', route: 'resync', expect: { status: 503, code: 'upstream-unavailable', attempts: [1, STS_BOUND], resyncCalls: 0 } },
];

const latencyRows: Row[] = [
  { action: 'GetUser', fault: 'latency', count: 'always', route: 'list', expect: { status: 503, code: 'upstream-unavailable', attempts: [1, LOOKUP_BOUND] } },
  { action: 'ListMFADevices', fault: 'latency', count: 'always', route: 'list', expect: { status: 503, code: 'upstream-unavailable', attempts: [1, LOOKUP_BOUND] } },
  { action: 'ResyncMFADevice', fault: 'latency', count: 'always', route: 'resync', expect: { status: 503, code: 'upstream-unavailable', attempts: [1, 1] } },
];

let main: LocalStack;
let tight: LocalStack;
const leaks = new LeakScan();
const matrix: string[] = [];
const WRONG_CODES = { code1: '271828', code2: '314159' };

beforeAll(async () => {
  // The first start may bundle; the second then finds the bundle fresh.
  main = await startLocalStack();
  tight = await startLocalStack({ IAM_BUDGET_MS: String(TIGHT_BUDGET_MS) });
  for (const stack of [main, tight]) for (const user of stack.session.users) leaks.token(user.idToken);
  leaks.code(Object.values(WRONG_CODES));
}, 180_000);

afterAll(async () => {
  console.log(['IAM fault matrix (observed)', '| action | fault | count | route | status | code | Retry-After | attempts | resync calls | ms |', '|---|---|---|---|---|---|---|---|---|---|', ...matrix].join('\n'));
  await Promise.all([main?.stop(), tight?.stop()]);
});

const aliceToken = (stack: LocalStack): string => stack.session.users.find((user) => user.username === 'alice')?.idToken ?? '';

function request(stack: LocalStack, route: Row['route']): Promise<Answer> {
  const authorization = aliceToken(stack);
  return route === 'list'
    ? call(`${stack.session.apiUrl}${LIST}`, { headers: { Authorization: authorization } })
    : postJson(`${stack.session.apiUrl}${RESYNC}`, WRONG_CODES, { Authorization: authorization });
}

async function runRow(stack: LocalStack, row: Row): Promise<void> {
  const { iamEndpoint } = stack.session;
  await resetIam(iamEndpoint);
  await injectFault(iamEndpoint, {
    action: row.action,
    fault: row.fault,
    count: row.count,
    ...(row.fault === 'latency' ? { latencyMs: LATENCY_MS } : {}),
    ...(row.status === undefined ? {} : { status: row.status }),
  });

  const started = Date.now();
  const answer = await request(stack, row.route);
  const elapsed = Date.now() - started;
  // Delayed attempts are counted when the emulator finally answers them: wait them out.
  // Retries start up to the budget later, so wait for the budget plus the latency.
  if (row.fault === 'latency') await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + TIGHT_BUDGET_MS + LATENCY_MS + 300 - Date.now())));
  const counts = await iamCalls(iamEndpoint);
  const attempts = counts[row.action] ?? 0;
  const resyncCalls = counts.ResyncMFADevice ?? 0;
  matrix.push(
    `| ${row.action} | ${row.fault}${row.status === undefined ? '' : ` ${row.status}`} | ${row.count} | ${row.route} | ${answer.status} | ${String(answer.json?.code ?? '')} | ${String(answer.headers['retry-after'] ?? '')} | ${attempts} | ${resyncCalls} | ${elapsed} |`,
  );

  if (row.expect.code === undefined) expect(answer.status).toBe(row.expect.status);
  else expectProblem(answer, row.expect.status, row.expect.code);
  if (row.expect.retryAfter === true) expect(answer.headers['retry-after']).toMatch(/^[1-9][0-9]*$/);
  expect(attempts).toBeGreaterThanOrEqual(row.expect.attempts[0]);
  expect(attempts).toBeLessThanOrEqual(row.expect.attempts[1]);
  if (row.expect.resyncCalls !== undefined) expect(resyncCalls).toBe(row.expect.resyncCalls);
  if (row.action === 'ResyncMFADevice') expect(resyncCalls).toBe(1);
  expect(leaks.foundIn(answer.text)).toEqual([]);

  // Whatever IAM sent, the stack still serves the next request.
  await call(`${iamEndpoint}/_emulator/faults`, { method: 'DELETE' });
  expect((await request(stack, 'list')).status).toBe(200);
}

const name = (row: Row): string =>
  `${row.action} ${row.fault}${row.status === undefined ? '' : ` (HTTP ${row.status})`} ${row.count === 1 ? 'once' : 'always'} on ${row.route} -> ${row.expect.status}${row.expect.code === undefined ? '' : ` ${row.expect.code}`}`;

describe('lookups (GetUser, ListMFADevices): bounded retries', () => {
  it.each([...lookupRows('GetUser'), ...lookupRows('ListMFADevices')].map((row) => [name(row), row] as const))('%s', async (_name, row) => {
    await runRow(main, row);
  });
});

describe('ResyncMFADevice: never retried', () => {
  it.each(resyncRows.map((row) => [name(row), row] as const))('%s', async (_name, row) => {
    await runRow(main, row);
  });
});

describe('STS AssumeRole (scoped mode)', () => {
  it.each(stsRows.map((row) => [name(row), row] as const))('%s', async (_name, row) => {
    await runRow(main, row);
  });
});

describe(`latency past the budget (IAM_BUDGET_MS=${TIGHT_BUDGET_MS})`, () => {
  it.each(latencyRows.map((row) => [name(row), row] as const))('%s, well before the function timeout', async (_name, row) => {
    const started = Date.now();
    await runRow(tight, row);
    // The answer itself (not the wait for delayed attempts) must come within the budget and a margin.
    const answeredWithin = Number(matrix[matrix.length - 1]?.split('|').at(-2));
    expect(answeredWithin).toBeLessThan(TIGHT_BUDGET_MS + 1500);
    expect(answeredWithin).toBeLessThan(FUNCTION_TIMEOUT_MS / 3);
    expect(Date.now() - started).toBeLessThan(FUNCTION_TIMEOUT_MS);
  });
});

describe('the stack output', () => {
  it('holds no code and no token after the fault matrix', async () => {
    await Promise.all([main.stop(), tight.stop()]);
    expect(leaks.foundIn(main.output() + tight.output())).toEqual([]);
  });
});
