// SPDX-License-Identifier: Apache-2.0
/**
 * ListMFADevices (F-1.4.1 to F-1.4.3): every device of the user in enrolment (seed) order,
 * `MaxItems` per page (default 100), `IsTruncated` and an opaque `Marker` while more remain.
 */
import { iamErrors } from '../wire/errors';
import { el, isoSeconds, list, successDocument, type XmlNode } from '../wire/xml';
import { MARKER, MAX_ITEMS, USER_NAME, validate } from '../wire/validation';
import { resolveUser, type ActionHandler } from './context';

const DEFAULT_MAX_ITEMS = 100;

/**
 * The marker binds the offset to the user it was issued for, so a marker replayed against
 * another user is refused instead of silently skipping devices. Base64 keeps it inside the
 * Marker pattern `[\u0020-\u00FF]+`, 1–320 characters.
 */
function encodeMarker(userName: string, offset: number): string {
  return Buffer.from(JSON.stringify({ u: userName.toLowerCase(), o: offset })).toString('base64');
}

function decodeMarker(marker: string, userName: string): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(marker, 'base64').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null) {
      const { u, o } = parsed as { u?: unknown; o?: unknown };
      if (u === userName.toLowerCase() && typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
    }
  } catch {
    // fall through to the error below
  }
  // Decided: IAM's reply to a forged marker is not in the sources.
  throw iamErrors.validation('Invalid Marker.');
}

export const listMfaDevices: ActionHandler = (ctx) => {
  validate(ctx.params, [USER_NAME, MARKER, MAX_ITEMS]);
  const user = resolveUser(ctx, 'ListMFADevices');
  const maxItemsParam = ctx.params.get('MaxItems');
  const maxItems = maxItemsParam === undefined ? DEFAULT_MAX_ITEMS : Number(maxItemsParam);
  const markerParam = ctx.params.get('Marker');
  const start = markerParam === undefined ? 0 : decodeMarker(markerParam, user.seeded.userName);

  const page = user.devices.slice(start, start + maxItems);
  const truncated = start + page.length < user.devices.length;
  const result: XmlNode[] = [
    list(
      'MFADevices',
      page.map((d) => [
        // MFADevice.UserName is the stored name (userNameType), whatever case the request used.
        el('UserName', user.seeded.userName),
        el('SerialNumber', d.seeded.serialNumber),
        el('EnableDate', isoSeconds(d.seeded.enableDateMs)),
      ]),
    ),
    el('IsTruncated', truncated),
  ];
  if (truncated) result.push(el('Marker', encodeMarker(user.seeded.userName, start + page.length)));
  return successDocument('ListMFADevices', ctx.requestId, result);
};
