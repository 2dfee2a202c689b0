// SPDX-License-Identifier: Apache-2.0
/**
 * `npm start`: the whole API on this machine. Starts the stack (./stack), prints what runs where,
 * the demo users, a ready curl command and alice's out-of-sync device as an otpauth:// URI and a
 * QR code, then runs until Ctrl-C or SIGTERM, which close every server and exit 0.
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
import { readLocalConfig } from './config';
import { say } from './output';
import { ACCOUNT_ID, ALICE_OFFSET_STEPS } from './seed';
import { startStack, type RunningStack } from './stack';

async function main(): Promise<void> {
  const config = readLocalConfig();
  const stack = await startStack(config);
  await printBanner(stack, config.sessionFile, config.qr);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    say(`\n${signal}: stopping the local stack`);
    stack.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function printBanner(stack: RunningStack, sessionFile: string, qr: boolean): Promise<void> {
  const { session } = stack;
  const relativeSession = path.relative(process.cwd(), sessionFile) || sessionFile;
  say('');
  say('mfa-resync local stack is running');
  say(`  API (local API Gateway)    ${session.apiUrl}   [${session.tokenUse} tokens]`);
  say(`  IAM endpoint (emulator)    ${session.iamEndpoint}`);
  say(`  Token issuer               ${session.issuer}  (POST /token, JWKS at /.well-known/jwks.json)`);
  say(`  Session file               ${relativeSession}`);
  say('');
  say('Users (tokens and TOTP seeds are in the session file):');
  for (const user of session.users) {
    const devices = user.devices.length === 0 ? 'no devices' : user.devices.map((device) => `${device.type} ${device.serialNumber}`).join(', ');
    say(`  ${user.username.padEnd(6)} -> IAM user ${user.iamUserName.padEnd(6)} ${devices}`);
  }
  const tokenField = session.tokenUse === 'access' ? 'accessToken' : 'idToken';
  const requirePath = relativeSession.startsWith('..') || path.isAbsolute(relativeSession) ? sessionFile : `./${relativeSession}`;
  const token = `$(node -p "require('${requirePath.split(path.sep).join('/')}').users[0].${tokenField}")`;
  say('');
  say("List alice's devices:");
  say(`  curl -s -H "Authorization: ${token}" ${session.apiUrl}/v1/me/mfa-devices`);
  say('Resync (two consecutive codes from the device):');
  say(`  curl -s -H "Authorization: ${token}" -H 'Content-Type: application/json' \\`);
  say(`       -d '{"code1":"123456","code2":"654321"}' ${session.apiUrl}/v1/me/mfa-devices/resync`);
  say('Or run the scripted walk-through: npm run demo');

  const alice = session.users.find((user) => user.username === 'alice');
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

main().catch((error: unknown) => {
  process.stderr.write(`local stack failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
