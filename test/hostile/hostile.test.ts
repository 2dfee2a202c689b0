// SPDX-License-Identifier: Apache-2.0
/**
 * The hostile-input table (./cases) against one spawned local stack (ID-token mode, the default
 * credential mode). Per case: the contract status and `code`, the problem document, and what
 * reached the IAM emulator (its call counter, STS included, reset before each case). At the end,
 * the stack's whole output is scanned: no code and no token it was sent may appear, and each
 * resync attempt that reached the Lambda left exactly one audit line.
 */
import { postJson } from '../e2e/support/http';
import { deviceCode, resetIam } from '../e2e/support/iam';
import { expectProblem } from '../e2e/support/problems';
import { seededUser, startLocalStack, type LocalStack, type Session, type SessionUser } from '../e2e/support/stack';
import { HOSTILE_CASES, RESYNC, type CaseContext, type HostileCase, type SeededUser } from './cases';
import { iamCalls, lambdaLogLines, LeakScan, send, totalCalls } from './support';

jest.setTimeout(60_000);

let stack: LocalStack;
let session: Session;
let stopped = false;
/** Where the stack's output stood once it served: the banner before it holds example codes. */
let servingFrom = 0;
const leaks = new LeakScan();

/** Every resync request sent, for the audit check at the end. */
const attempts: Array<{ readonly testCase: HostileCase; readonly requestId: string }> = [];

beforeAll(async () => {
  stack = await startLocalStack();
  session = stack.session;
  for (const user of session.users) leaks.token(user.idToken);
  leaks.code(['271828', '314159']);
  servingFrom = stack.output().length;
}, 120_000);

afterAll(async () => {
  if (!stopped) await stack?.stop();
});

const user = (name: SeededUser): SessionUser => seededUser(session, name);

const ctx: CaseContext = {
  get session() {
    return session;
  },
  token: (name) => leaks.token(user(name).idToken),
  async mint(claims) {
    const answer = await postJson(session.tokenEndpoint, claims);
    if (answer.status !== 200) throw new Error(`token endpoint answered ${answer.status}`);
    return leaks.token(answer.json?.idToken as string);
  },
  forged: (token) => leaks.token(token),
  serial(name, type) {
    const device = user(name).devices.find((candidate) => candidate.type === type);
    if (device === undefined) throw new Error(`${name} has no ${type} device`);
    return device.serialNumber;
  },
  realCode(serialNumber, steps = 0) {
    const secret = session.users.flatMap((candidate) => candidate.devices).find((device) => device.serialNumber === serialNumber)?.secret;
    if (secret === undefined) throw new Error(`no secret for ${serialNumber}`);
    return leaks.code(deviceCode(secret, steps));
  },
  json(body) {
    leaks.code(body);
    return JSON.stringify(body);
  },
  codes: (...values) => void leaks.code(values),
};

describe('the table', () => {
  it('has at least 60 named cases with unique names, covering every expectation', () => {
    expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(HOSTILE_CASES.map((testCase) => testCase.name)).size).toBe(HOSTILE_CASES.length);
    expect(new Set(HOSTILE_CASES.map((testCase) => testCase.iam))).toEqual(new Set(['never', 'no-resync', 'resync-once']));
  });
});

describe('hostile input through the local stack', () => {
  it.each(HOSTILE_CASES.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
    await resetIam(session.iamEndpoint);
    const request = await testCase.request(ctx);

    const answer = await send(session.apiUrl, request);

    if (testCase.noBody === true) {
      expect(answer.status).toBe(testCase.status);
      expect(answer.text).toBe('');
    } else if (testCase.code !== undefined) {
      expectProblem(answer, testCase.status, testCase.code);
    } else {
      expect(answer.status).toBe(testCase.status);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
    }
    // No error body ever echoes what was sent in place of a code (CONTRACT.md, "Errors").
    if (answer.status >= 400) expect(leaks.foundIn(answer.text)).toEqual([]);
    testCase.check?.(answer, ctx);

    const counts = await iamCalls(session.iamEndpoint);
    if (testCase.iam === 'never') expect(counts).toEqual({});
    if (testCase.iam === 'no-resync') expect(counts.ResyncMFADevice ?? 0).toBe(0);
    if (testCase.iam === 'resync-once') expect(counts.ResyncMFADevice).toBe(1);
    if (testCase.iam !== 'never') expect(totalCalls(counts)).toBeGreaterThan(0);

    const requestId = answer.headers['x-amzn-requestid'];
    if (request.method === 'POST' && request.path.split('?')[0] === RESYNC && typeof requestId === 'string') {
      attempts.push({ testCase, requestId });
    }
  });
});

/** Outcomes decided before the caller is mapped: the audit line cannot name an IAM user. */
const BEFORE_MAPPING = new Set(['invalid-request', 'identical-codes', 'unsupported-media-type', 'forbidden', 'caller-not-mapped']);

describe('the stack output', () => {
  it('holds no code and no token, and exactly one audit line per resync attempt that reached the Lambda', async () => {
    expect(leaks.size.codes).toBeGreaterThan(20);
    expect(leaks.size.tokens).toBeGreaterThan(20);
    stopped = true;
    expect(await stack.stop()).toBe(0);
    const output = stack.output().slice(servingFrom);

    expect(leaks.foundIn(output)).toEqual([]);

    const lines = lambdaLogLines(output);
    const reachedLambda = attempts.filter(({ requestId }) => lines.some((line) => line.correlation_id === requestId));
    // Refusals by the gateway (401, 413, its 400s) never reach the function; the rest must.
    expect(reachedLambda.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const { testCase, requestId } of reachedLambda) {
      const audits = lines.filter((line) => line.message === 'Resync attempt' && (line.audit as { requestId?: unknown } | undefined)?.requestId === requestId);
      if (audits.length !== 1) {
        problems.push(`${testCase.name}: ${audits.length} audit lines`);
        continue;
      }
      const audit = audits[0]?.audit as Record<string, unknown>;
      const outcome = testCase.code ?? 'resynchronized';
      const expected: Record<string, unknown> = {
        outcome,
        requestId,
        ...(BEFORE_MAPPING.has(outcome) ? {} : { iamUserName: expect.any(String) }),
        ...(testCase.auditSerial === undefined ? {} : { serialNumber: testCase.auditSerial(ctx) }),
      };
      try {
        expect(audit).toMatchObject(expected);
        // The caller: who presented the token, whatever became of the request.
        expect(typeof audit.subject === 'string' || typeof audit.cognitoUsername === 'string').toBe(true);
      } catch {
        problems.push(`${testCase.name}: ${JSON.stringify(audit)}`);
      }
    }
    expect(problems).toEqual([]);
    // Attempts the gateway refused left no audit line (the function never saw them).
    const refusedAtGateway = attempts.filter((attempt) => !reachedLambda.includes(attempt));
    for (const { requestId } of refusedAtGateway) {
      expect(lines.filter((line) => (line.audit as { requestId?: unknown } | undefined)?.requestId === requestId)).toEqual([]);
    }
  });
});
