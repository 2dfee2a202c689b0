// SPDX-License-Identifier: Apache-2.0
/**
 * ResyncMFADevice (F-1.1.1 to F-1.1.4, F-1.2): all four parameters required, no output.
 * Order of checks: parameters (ValidationError), authorisation on the user ARN (AccessDenied,
 * F-4.1.1), user (NoSuchEntity), device of that user (NoSuchEntity), codes
 * (InvalidAuthenticationCode).
 */
import { iamErrors } from '../wire/errors';
import { successDocument } from '../wire/xml';
import { AUTH_CODE_1, AUTH_CODE_2, SERIAL_NUMBER, USER_NAME, validate } from '../wire/validation';
import { resolveUser, type ActionHandler } from './context';

export const resyncMfaDevice: ActionHandler = (ctx) => {
  validate(ctx.params, [{ ...USER_NAME, required: true }, SERIAL_NUMBER, AUTH_CODE_1, AUTH_CODE_2]);
  const serialNumber = ctx.params.get('SerialNumber') ?? '';
  const user = resolveUser(ctx, 'ResyncMFADevice');

  // A serial that exists but belongs to someone else is indistinguishable from an unknown one:
  // research §8 (undocumented; NoSuchEntity is the likely answer and leaks nothing).
  const device = user.devices.find((d) => d.seeded.serialNumber === serialNumber);
  if (device === undefined) throw iamErrors.noSuchDevice(serialNumber);

  const outcome = ctx.store.resync(device, ctx.params.get('AuthenticationCode1') ?? '', ctx.params.get('AuthenticationCode2') ?? '');
  // FIDO keys never drift and have no TOTP seed (F-3.2.2); IAM's answer is undocumented
  // (research §8). Decided: NoSuchEntity, as if IAM looked the serial up among TOTP devices only.
  if (outcome === 'not-totp') throw iamErrors.noSuchDevice(serialNumber);
  if (outcome === 'invalid-codes') throw iamErrors.invalidAuthenticationCode();
  return successDocument('ResyncMFADevice', ctx.requestId);
};
