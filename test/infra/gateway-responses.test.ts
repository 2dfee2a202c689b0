// SPDX-License-Identifier: Apache-2.0
/** The CDK-free gateway-response rules that the construct and the local gateway share. */
import { PROBLEMS, PROBLEM_CONTENT_TYPE } from '../../lambda/http/problems';
import { resyncRequestSchema } from '../../lambda/schemas/resync-request';
import {
  GATEWAY_ERROR_RESPONSES,
  gatewayAllowOrigin,
  gatewayResponseBodyTemplate,
  gatewayResponseHeaders,
  renderGatewayResponseBody,
} from '../../lib/gateway-responses';
import { toApiGatewayModelSchema } from '../../lib/json-schema-model';

const byType = (type: string) => {
  const response = GATEWAY_ERROR_RESPONSES.find((candidate) => candidate.type === type);
  if (!response) throw new Error(`no ${type}`);
  return response;
};

describe('gateway response bodies', () => {
  test.each(GATEWAY_ERROR_RESPONSES.map((response) => [response.type, response]))('%s renders the catalogue problem with the request ID', (_type, response) => {
    const body = JSON.parse(renderGatewayResponseBody(response.code, 'req-123'));
    expect(body).toEqual({
      type: `urn:mfa-resync:problem:${response.code}`,
      title: PROBLEMS[response.code].title,
      status: PROBLEMS[response.code].status,
      code: response.code,
      detail: PROBLEMS[response.code].detail,
      requestId: 'req-123',
    });
  });

  test('the template holds $context.requestId exactly once and no other $ (F-5.6.2)', () => {
    for (const response of GATEWAY_ERROR_RESPONSES) {
      const template = gatewayResponseBodyTemplate(response.code);
      expect(template.match(/\$/g)).toEqual(['$']);
      expect(template).toContain('"requestId":"$context.requestId"');
    }
  });

  test('a hostile request ID cannot break the JSON', () => {
    expect(JSON.parse(renderGatewayResponseBody('unauthenticated', '"}{')).requestId).toBe('"}{');
  });

  test('only REQUEST_TOO_LARGE is marked as not honoured by API Gateway (F-5.6.1)', () => {
    expect(GATEWAY_ERROR_RESPONSES.filter((response) => !response.honouredByApiGateway).map((response) => response.type)).toEqual(['REQUEST_TOO_LARGE']);
  });
});

describe('gateway response CORS rule', () => {
  test('no origins: no CORS headers', () => {
    expect(gatewayAllowOrigin([])).toEqual({ kind: 'none' });
    expect(gatewayResponseHeaders(byType('UNAUTHORIZED'), [], 'https://evil.example')).toEqual({ 'Content-Type': PROBLEM_CONTENT_TYPE });
  });

  test('one origin: sent statically, whatever the request Origin', () => {
    expect(gatewayResponseHeaders(byType('UNAUTHORIZED'), ['https://portal.example.com'], 'https://other.example')).toEqual({
      'Content-Type': PROBLEM_CONTENT_TYPE,
      'Access-Control-Allow-Origin': 'https://portal.example.com',
      'Access-Control-Expose-Headers': 'Retry-After',
    });
  });

  test('"*": sent statically', () => {
    expect(gatewayAllowOrigin(['*'])).toEqual({ kind: 'static', value: '*' });
  });

  test('several origins: the request Origin is echoed with Vary: Origin, and omitted without one', () => {
    const origins = ['https://a.example.com', 'https://b.example.com'];
    expect(gatewayResponseHeaders(byType('THROTTLED'), origins, 'https://b.example.com')).toEqual({
      'Content-Type': PROBLEM_CONTENT_TYPE,
      'Retry-After': '1',
      'Access-Control-Allow-Origin': 'https://b.example.com',
      'Access-Control-Expose-Headers': 'Retry-After',
      Vary: 'Origin',
    });
    expect(gatewayResponseHeaders(byType('UNAUTHORIZED'), origins, undefined)['Access-Control-Allow-Origin']).toBeUndefined();
  });
});

describe('api gateway model conversion', () => {
  test('keeps every constraint of the shared schema', () => {
    const model = toApiGatewayModelSchema(resyncRequestSchema) as any;
    expect(model.required).toEqual([...resyncRequestSchema.required]);
    expect(model.additionalProperties).toBe(false);
    for (const [name, property] of Object.entries(resyncRequestSchema.properties)) {
      expect(model.properties[name]).toEqual({ ...property });
    }
  });

  test('refuses keywords API Gateway models do not support reliably (F-5.5.2)', () => {
    expect(() => toApiGatewayModelSchema({ type: 'object', properties: { a: { type: 'string', format: 'email' } } })).toThrow(/keyword "format" at #\/properties\/a/);
    expect(() => toApiGatewayModelSchema({ type: 'object', oneOf: [] })).toThrow(/keyword "oneOf"/);
  });
});
