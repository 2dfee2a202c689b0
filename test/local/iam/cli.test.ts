// SPDX-License-Identifier: Apache-2.0
/**
 * The emulator through the AWS CLI, an unmodified client built on botocore rather than the JS SDK.
 * CI installs `awscli` with apt-get; if `aws` is missing these tests FAIL on purpose (no skip),
 * because a silently skipped suite would hide that the second client was never exercised.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IamEmulator } from '../../../local/iam';
import { ACCOUNT, ALICE_PHONE, ALICE_SECRET, codeAt, fixedClock, startWithClock } from './helpers';

jest.setTimeout(60_000);

const AWS = process.env['AWS_CLI'] ?? 'aws';
let emulator: IamEmulator;
let clock: ReturnType<typeof fixedClock>;
let home: string;

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function aws(args: readonly string[], withEndpoint = true): Promise<CliResult> {
  const fullArgs = withEndpoint ? [...args, '--endpoint-url', emulator.url, '--region', 'us-east-1', '--output', 'json'] : [...args];
  return new Promise((resolve) => {
    execFile(
      AWS,
      fullArgs,
      {
        timeout: 30_000,
        // A clean environment: no user config, profiles, pager or instance metadata lookups.
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          HOME: home,
          AWS_ACCESS_KEY_ID: 'AKIACLITEST000000001',
          AWS_SECRET_ACCESS_KEY: 'local-secret-not-checked',
          AWS_CONFIG_FILE: join(home, 'config'),
          AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_PAGER: '',
          AWS_MAX_ATTEMPTS: '1',
        },
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr: stderr || (error?.message ?? '') });
      },
    );
  });
}

/** botocore's error line; CLI v2 adds "(reached max retries: N)" when retries are configured. */
function cliError(code: string, operation: string, message: string): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`An error occurred \\(${code}\\) when calling the ${operation} operation( \\(reached max retries: \\d+\\))?: ${escape(message)}`);
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'iam-cli-'));
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});
beforeEach(async () => {
  ({ emulator, clock } = await startWithClock());
});
afterEach(async () => {
  await emulator.close();
});

it('has the AWS CLI installed (CI installs awscli with apt-get)', async () => {
  const version = await aws(['--version'], false);
  expect(version).toMatchObject({ code: 0 });
  expect(`${version.stdout}${version.stderr}`).toMatch(/aws-cli\/\d+\./);
});

it('lists MFA devices with aws iam list-mfa-devices', async () => {
  const res = await aws(['iam', 'list-mfa-devices', '--user-name', 'alice']);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  const out = JSON.parse(res.stdout) as { MFADevices: { UserName: string; SerialNumber: string; EnableDate: string }[] };
  expect(out.MFADevices.map((d) => d.SerialNumber)).toEqual([ALICE_PHONE, 'GAKT12345678', expect.stringContaining(':u2f/user/Alice/yubikey-')]);
  expect(out.MFADevices.every((d) => d.UserName === 'Alice')).toBe(true);
  expect(emulator.calls()[0]?.accessKeyId).toBe('AKIACLITEST000000001');
});

it('pages with --max-items/--page-size through the CLI paginator', async () => {
  const res = await aws(['iam', 'list-mfa-devices', '--user-name', 'Alice', '--page-size', '1']);
  expect(res.code).toBe(0);
  expect((JSON.parse(res.stdout) as { MFADevices: unknown[] }).MFADevices).toHaveLength(3);
  expect(emulator.callCounts()).toEqual({ ListMFADevices: 3 });
});

it('gets a user with its path in the ARN with aws iam get-user', async () => {
  const res = await aws(['iam', 'get-user', '--user-name', 'BOB']);
  expect(res.code).toBe(0);
  const { User } = JSON.parse(res.stdout) as { User: Record<string, unknown> };
  expect(User).toMatchObject({
    Path: '/division_abc/subdivision_xyz/',
    UserName: 'bob',
    Arn: `arn:aws:iam::${ACCOUNT}:user/division_abc/subdivision_xyz/bob`,
  });
});

it('resyncs a drifted device with aws iam resync-mfa-device (no output, exit 0)', async () => {
  const res = await aws([
    'iam',
    'resync-mfa-device',
    '--user-name',
    'Alice',
    '--serial-number',
    ALICE_PHONE,
    '--authentication-code1',
    codeAt(ALICE_SECRET, clock.now() - 30_000),
    '--authentication-code2',
    codeAt(ALICE_SECRET, clock.now()),
  ]);
  expect(res).toEqual({ code: 0, stdout: '', stderr: '' });
  expect(emulator.device(ALICE_PHONE)?.offsetSteps).toBe(0);
});

it('exits non-zero with IAM error code in stderr for wrong codes', async () => {
  const res = await aws(['iam', 'resync-mfa-device', '--user-name', 'Alice', '--serial-number', ALICE_PHONE, '--authentication-code1', '000000', '--authentication-code2', '999999']);
  expect(res.code).not.toBe(0);
  expect(res.stderr).toMatch(cliError('InvalidAuthenticationCode', 'ResyncMFADevice', 'Authentication code for device is not valid.'));
});

it('exits non-zero with NoSuchEntity for an unknown user', async () => {
  const res = await aws(['iam', 'get-user', '--user-name', 'nobody']);
  expect(res.code).not.toBe(0);
  expect(res.stderr).toMatch(cliError('NoSuchEntity', 'GetUser', 'The user with name nobody cannot be found.'));
});
