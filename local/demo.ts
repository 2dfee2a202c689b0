// SPDX-License-Identifier: Apache-2.0
/**
 * `npm run demo`: the resync story against the running local stack (`npm start`), with alice's
 * phone, which starts out ten minutes out of sync with IAM:
 *
 * 1. the code her phone shows now is refused at sign-in (the emulator's sign-in check);
 * 2. she reads that code, waits for the next one (the next 30 s step) and sends both, as
 *    consecutive codes, through the API with her token;
 * 3. once her phone shows a fresh code, sign-in accepts it.
 *
 * The codes are computed from the device's seed for the current time, i.e. exactly what an
 * authenticator app shows. Exits non-zero if any step does not go as described. On a second run
 * the phone is already in sync (and its current code may already be used), so step 1 says so
 * instead of trying a sign-in, and the resync starts from a code not used yet.
 *
 * With no stack running (no session file, or nothing answering at its URLs) it says to start one.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TOTP } from 'otpauth';
import type { Session } from './session';

const STEP_MS = 30_000;

function fail(message: string): never {
  process.stderr.write(`\ndemo failed: ${message}\n`);
  process.exit(1);
}

const START_FIRST = 'start the local stack first: npm start (in another terminal)';

function sessionFile(): { file: string; shown: string } {
  const configured = process.env.SESSION_FILE?.trim();
  const file = path.resolve(configured === undefined || configured === '' ? path.join('.local', 'session.json') : configured);
  const relative = path.relative(process.cwd(), file);
  return { file, shown: relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative };
}

/** Says how to point the demo at a stack whose session file is not the default one. */
function sessionHint(): string {
  return process.env.SESSION_FILE === undefined
    ? 'if your stack runs with SESSION_FILE=<file>, run the demo with the same SESSION_FILE'
    : `this demo reads SESSION_FILE=${process.env.SESSION_FILE}; the stack must use the same one`;
}

function readSession(): Session {
  const { file, shown } = sessionFile();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return fail(`no session file at ${shown}: ${START_FIRST}.\n(${sessionHint()}.)`);
  }
  try {
    return JSON.parse(text) as Session;
  } catch {
    return fail(`${shown} is not a session file written by npm start: ${START_FIRST}.`);
  }
}

/** Fails with "start the stack first" when nothing answers at the session's URLs (a stack that was killed). */
async function ensureReachable(session: Session): Promise<void> {
  for (const url of [session.iamEndpoint, session.apiUrl]) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(5000) });
    } catch {
      fail(`nothing answers at ${url}, where ${sessionFile().shown} says the stack runs: ${START_FIRST}.\n(${sessionHint()}.)`);
    }
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const spaced = (code: string): string => `${code.slice(0, 3)} ${code.slice(3)}`;
const say = (line = ''): void => void process.stdout.write(`${line}\n`);

/** Waits until the device shows its next code, counting down so the pause is not a mystery. */
async function nextStep(): Promise<void> {
  const remaining = STEP_MS - (Date.now() % STEP_MS);
  process.stdout.write(`   ... waiting ${Math.ceil(remaining / 1000)} s for the phone to show its next code`);
  await sleep(remaining + 250);
  process.stdout.write(' - done\n');
}

async function signIn(iamEndpoint: string, serialNumber: string, code: string): Promise<boolean> {
  const response = await fetch(`${iamEndpoint}/_emulator/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ serialNumber, code }),
  });
  if (!response.ok) fail(`the emulator's sign-in check answered ${response.status}`);
  return ((await response.json()) as { accepted: boolean }).accepted;
}

/** How far, in steps, the phone is from what IAM expects (the emulator's view, for the narration). */
async function driftSteps(iamEndpoint: string, serialNumber: string): Promise<number> {
  const response = await fetch(`${iamEndpoint}/_emulator/devices`);
  const { devices } = (await response.json()) as { devices: Array<{ serialNumber: string; offsetSteps?: number }> };
  return devices.find((device) => device.serialNumber === serialNumber)?.offsetSteps ?? 0;
}

async function main(): Promise<void> {
  const session = readSession();
  const alice = session.users.find((user) => user.username === 'alice');
  const device = alice?.devices.find((candidate) => candidate.type === 'virtual');
  if (alice === undefined || device?.secret === undefined) return fail('the session has no alice with a virtual device');
  const token = session.tokenUse === 'access' ? alice.accessToken : alice.idToken;
  if (token === undefined) return fail('the session has no token for alice');
  await ensureReachable(session);
  const phone = new TOTP({ secret: device.secret });

  say(`alice's phone: ${device.serialNumber}`);
  say();
  // The emulator's view first, so the narration matches what the sign-in will do.
  const drift = await driftSteps(session.iamEndpoint, device.serialNumber);
  if (drift !== 0) {
    say('1. alice tries to sign in to the AWS console with the code her phone shows');
    const first = phone.generate();
    const acceptedBefore = await signIn(session.iamEndpoint, device.serialNumber, first);
    say(`   phone shows ${spaced(first)} -> sign-in ${acceptedBefore ? 'ACCEPTED' : 'REFUSED'}`);
    if (acceptedBefore) fail(`the sign-in accepted a code although the phone is ${drift} steps out of sync`);
    say(`   IAM expects a different code: the phone is ${drift} steps (${(Math.abs(drift) * 30) / 60} min) away from what IAM last saw.`);
  } else {
    // An earlier run already fixed the device, so there is no refused sign-in to show. IAM
    // takes each code once, and that run may have used the current one: start from the next.
    say('1. alice\'s phone is already in sync with IAM (an earlier run of this demo resynced it),');
    say('   so a sign-in would work. The resync below is shown anyway, from a code not used yet.');
    await nextStep();
  }

  say();
  say('2. alice resyncs through the API with two consecutive codes');
  const code1 = phone.generate();
  say(`   code1: phone shows ${spaced(code1)}`);
  await nextStep();
  const code2 = phone.generate();
  say(`   code2: phone shows ${spaced(code2)}`);
  say(`   POST ${session.apiUrl}/v1/me/mfa-devices/resync  (Authorization: alice's ${session.tokenUse} token)`);
  const response = await fetch(`${session.apiUrl}/v1/me/mfa-devices/resync`, {
    method: 'POST',
    headers: { authorization: token, 'content-type': 'application/json' },
    body: JSON.stringify({ code1, code2 }),
  });
  const body = (await response.json()) as Record<string, unknown>;
  say(`   -> ${response.status} ${JSON.stringify(body)}`);
  if (response.status === 401) fail("alice's token was refused; it may have expired: restart npm start for fresh tokens");
  if (response.status !== 200 || body.status !== 'resynchronized') fail(`expected 200 resynchronized, got ${response.status} ${String(body.code ?? '')}`);

  say();
  say('3. alice signs in again with a fresh code');
  // The code shown now was just used by the resync, and IAM takes each code once.
  await nextStep();
  const fresh = phone.generate();
  const acceptedAfter = await signIn(session.iamEndpoint, device.serialNumber, fresh);
  say(`   phone shows ${spaced(fresh)} -> sign-in ${acceptedAfter ? 'ACCEPTED' : 'REFUSED'}`);
  if (!acceptedAfter) fail('sign-in still fails after the resync');
  say();
  say('alice\'s MFA device is back in sync.');
}

main().catch((error: unknown) => {
  // fetch() says only "fetch failed"; the cause says why (ECONNREFUSED: the stack went away).
  const cause = error instanceof Error ? (error.cause as NodeJS.ErrnoException | undefined) : undefined;
  if (cause?.code === 'ECONNREFUSED' || cause?.code === 'ECONNRESET') fail(`the local stack stopped answering (${cause.code}): ${START_FIRST}.`);
  fail(error instanceof Error ? error.message : String(error));
});
