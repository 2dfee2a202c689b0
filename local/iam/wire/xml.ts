// SPDX-License-Identifier: Apache-2.0
/**
 * XML output for the awsQuery protocol. Only serialisation is needed (requests are form-encoded),
 * so a few string builders replace an XML library. Every text value goes through `escapeXml`.
 */

/** IAM's XML namespace (F-2.1.3, F-2.2.1). */
export const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';
/** STS's (client-sts `xmlNamespace`, BOTO-STS). Same envelopes, another namespace. */
export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text and attribute content. Values come from requests and seeds, so nothing is trusted. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** A node is pre-serialised XML; `el` is the only way to make one, so escaping cannot be skipped. */
export interface XmlNode {
  readonly xml: string;
}

export function el(name: string, content?: string | number | boolean | readonly XmlNode[]): XmlNode {
  if (content === undefined) return { xml: `<${name}/>` };
  if (Array.isArray(content)) {
    const inner = (content as readonly XmlNode[]).map((n) => n.xml).join('');
    return { xml: inner === '' ? `<${name}/>` : `<${name}>${inner}</${name}>` };
  }
  return { xml: `<${name}>${escapeXml(String(content))}</${name}>` };
}

/** awsQuery lists: `<Name><member>…</member></Name>` (SMITHY-Q, F-1.4.2). */
export function list(name: string, members: readonly (readonly XmlNode[])[]): XmlNode {
  return el(name, members.map((m) => el('member', m)));
}

/**
 * IAM timestamps are ISO 8601 in UTC without fractions, e.g. `2023-09-19T02:25:35Z`
 * (F-1.4.5 shows the same instant in CLI output).
 */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Success envelope (F-2.2.1): `<XResponse xmlns><XResult>…</XResult><ResponseMetadata><RequestId>`.
 * `result` undefined means the operation has no output (ResyncMFADevice), so no Result element.
 */
export function successDocument(action: string, requestId: string, result?: readonly XmlNode[], xmlns = IAM_XMLNS): string {
  const resultXml = result === undefined ? '' : el(`${action}Result`, result).xml;
  const metadata = el('ResponseMetadata', [el('RequestId', requestId)]).xml;
  return `<${action}Response xmlns="${xmlns}">${resultXml}${metadata}</${action}Response>\n`;
}

/**
 * Error envelope (F-2.2.2): `RequestId` is a sibling of `Error`, not inside `ResponseMetadata`.
 * Real captures: legion-platform/legion#807 (IAM Throttling), NixOS/nixops#328 (IAM ValidationError).
 */
export function errorDocument(type: 'Sender' | 'Receiver', code: string, message: string, requestId: string, xmlns = IAM_XMLNS): string {
  const error = el('Error', [el('Type', type), el('Code', code), el('Message', message)]).xml;
  return `<ErrorResponse xmlns="${xmlns}">${error}${el('RequestId', requestId).xml}</ErrorResponse>\n`;
}
