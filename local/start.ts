// SPDX-License-Identifier: Apache-2.0
/**
 * `npm start`: the whole API on this machine. Starts the stack (./stack), prints what runs where,
 * the demo users with the command that prints each one's token, a ready curl command and alice's
 * out-of-sync device as an otpauth:// URI (and, on a terminal, a QR code), then runs until
 * Ctrl-C or SIGTERM, which close every server, remove the session file and exit 0.
 *
 * `npm start` runs this file as `node --import tsx local/start.ts`, with no tsx wrapper process
 * in between, and npm runs that through `sh -c`. On SIGTERM npm signals only that shell, which
 * dies without passing the signal on (dash does not exec a lone command), so this process would
 * be left orphaned with its ports bound; when started by npm it therefore also stops once its
 * parent process is gone.
 *
 * Environment (all optional): API_PORT 3000, IAM_PORT 3001, ISSUER_PORT 3002 (0 = any free
 * port), SESSION_FILE .local/session.json, FIXED_SECRETS (or --fixed-secrets), TOKEN_USE id,
 * REQUIRED_SCOPE (access mode; default mfa-resync/self-service), MAPPING_CLAIM, MAPPING_PATTERN,
 * IAM_USER_PATH_PREFIX, REQUIRED_GROUP, ALLOWED_ORIGINS http://localhost:5173 ("none": no CORS),
 * IAM_BUDGET_MS, POWERTOOLS_LOG_LEVEL INFO, GROUPS_CLAIM_FORMAT comma|brackets,
 * SESSION_TOKEN_TTL_SECONDS 86400, NO_QR.
 */
import * as path from 'node:path';
import { TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { readLocalConfig, type LocalConfig } from './config';
import { say } from './output';
import { ACCOUNT_ID, ALICE_OFFSET_STEPS, iamSeed } from './seed';
import { startStack, type RunningStack } from './stack';

/** How often the parent process is checked for (see the header). */
const PARENT_POLL_MS = 500;

async function main(): Promise<void> {
  // A reader that went away (a closed pipe) must not crash the stack mid-request or mid-stop.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

  let config: LocalConfig | undefined;
  let stack: RunningStack;
  try {
    config = readLocalConfig();
    stack = await startStack(config);
  } catch (error) {
    return failToStart(error, config);
  }

  let stopping = false;
  const stop = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    say(`\n${reason}: stopping the local stack`);
    stack.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  if (process.env.npm_lifecycle_event !== undefined) stopWithParent(() => stop('npm stopped'));

  // Only a terminal gets the QR code: in a pipe or a log file it is noise and escape codes.
  await printBanner(stack, config.sessionFile, config.qr && process.stdout.isTTY === true);
}

/** Calls `stop` once this process is re-parented, i.e. the process that started it has exited. */
function stopWithParent(stop: () => void): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, PARENT_POLL_MS).unref();
}

const PORT_VARIABLES = [
  ['API_PORT', 'apiPort', 'the API'],
  ['IAM_PORT', 'iamPort', 'the IAM emulator'],
  ['ISSUER_PORT', 'issuerPort', 'the token issuer'],
] as const;

/** One clear line for the usual failures (a port in use, a bad setting), no stack trace. */
function failToStart(error: unknown, config?: LocalConfig): never {
  const failure = error as NodeJS.ErrnoException & { port?: number };
  let message = error instanceof Error ? error.message : String(error);
  if ((failure.code === 'EADDRINUSE' || failure.code === 'EACCES') && typeof failure.port === 'number') {
    const owners = PORT_VARIABLES.filter(([, key]) => config?.[key] === failure.port);
    const variable = owners[0]?.[0] ?? 'API_PORT, IAM_PORT or ISSUER_PORT';
    const what = owners.map(([name, , label]) => `${name}, ${label}`).join('; ');
    const problem = failure.code === 'EADDRINUSE' ? 'is already in use, probably by another npm start' : 'cannot be opened by this user';
    message =
      `port ${failure.port}${what === '' ? '' : ` (${what})`} ${problem}.\n` +
      `Stop what holds it, or choose another port: ${variable}=<port> npm start (${variable}=0 takes any free port).`;
  }
  process.stderr.write(`local stack failed to start: ${message}\n`);
  process.exit(1);
}

async function printBanner(stack: RunningStack, sessionFile: string, qr: boolean): Promise<void> {
  const { session } = stack;
  const relativeSession = path.relative(process.cwd(), sessionFile) || sessionFile;
  const requirePath = relativeSession.startsWith('..') || path.isAbsolute(relativeSession) ? sessionFile : `./${relativeSession}`;
  const tokenField = session.tokenUse === 'access' ? 'accessToken' : 'idToken';
  const tokenCommand = (index: number): string =>
    `node -p "require('${requirePath.split(path.sep).join('/')}').users[${index}].${tokenField}"`;

  say('');
  say('mfa-resync local stack is ready');
  say(`  API (local API Gateway)    ${session.apiUrl}   [${session.tokenUse} tokens]`);
  say(`  IAM endpoint (emulator)    ${session.iamEndpoint}`);
  say(`  Token issuer               ${session.issuer}  (POST /token, JWKS at /.well-known/jwks.json)`);
  say(`  Session file               ${relativeSession}  (tokens and TOTP seeds; removed on stop)`);
  say('');
  say(`Users, each with the command that prints their ${session.tokenUse} token:`);
  // IAM user names are unique regardless of case (F-3.5.2).
  const iamUsers = new Set(iamSeed(true).users.map((user) => user.userName.toLowerCase()));
  session.users.forEach((user, index) => {
    const devices = user.devices.length === 0 ? 'no devices' : user.devices.map((device) => `${device.type} ${device.serialNumber}`).join(', ');
    const iamUser = iamUsers.has(user.iamUserName.toLowerCase()) ? user.iamUserName.padEnd(6) : `${user.iamUserName} (no such IAM user)`;
    say(`  ${user.username.padEnd(6)} -> IAM user ${iamUser} ${devices}`);
    say(`         ${tokenCommand(index)}`);
  });
  const aliceIndex = Math.max(0, session.users.findIndex((user) => user.username === 'alice'));
  const token = `$(${tokenCommand(aliceIndex)})`;
  say('');
  say("List alice's devices:");
  say(`  curl -s -H "Authorization: ${token}" ${session.apiUrl}/v1/me/mfa-devices`);
  say('Resync (two consecutive codes from the device):');
  say(`  curl -s -H "Authorization: ${token}" -H 'Content-Type: application/json' \\`);
  say(`       -d '{"code1":"123456","code2":"654321"}' ${session.apiUrl}/v1/me/mfa-devices/resync`);
  say('Or run the scripted walk-through: npm run demo');

  const alice = session.users[aliceIndex];
  const device = alice?.devices.find((candidate) => candidate.type === 'virtual');
  if (device?.secret !== undefined) {
    const uri = new TOTP({ issuer: 'mfa-resync (local)', label: `alice@${ACCOUNT_ID}`, secret: device.secret }).toString();
    say('');
    say(`alice's phone (${device.serialNumber}) is ${ALICE_OFFSET_STEPS} steps (${(ALICE_OFFSET_STEPS * 30) / 60} min) out of sync with IAM.`);
    say('Add it to an authenticator app, then resync it by hand with two consecutive codes:');
    say(`  ${uri}`);
    if (qr) say(await QRCode.toString(uri, { type: 'terminal', small: true }));
  }
  say('Ctrl-C stops everything.');
}

main().catch((error: unknown) => failToStart(error));
