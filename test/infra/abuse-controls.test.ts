// SPDX-License-Identifier: Apache-2.0
/** The WAF web ACL, its association, throttling and reserved concurrency, as synthesized. */
import { Duration } from 'aws-cdk-lib';
import { PROBLEMS, problemType } from '../../lambda/http/problems';
import { WAF_REQUEST_ID } from '../../lib/abuse-controls';
import { onlyResource, synthStack } from './synth';

const WEB_ACL_ARN = 'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/shared/1234abcd-12ab-34cd-56ef-1234567890ab';

function ruleNamed(rules: any[], name: string): any {
  const rule = rules.find((candidate) => candidate.Name === name);
  if (!rule) throw new Error(`no rule ${name}`);
  return rule;
}

describe('web ACL (default)', () => {
  const { template } = synthStack();
  const acl = onlyResource(template, 'AWS::WAFv2::WebACL');
  const rules: any[] = acl.properties.Rules;

  test('is REGIONAL (F-5.8.1), allows by default, with metrics and no sampled requests (they would keep the bearer token)', () => {
    expect(acl.properties).toMatchObject({
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: false, MetricName: 'MfaResyncWebAcl' },
    });
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) expect(rule.VisibilityConfig).toMatchObject({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: false });
    // Nowhere in the ACL (rules or the ACL itself) is sampling switched on.
    expect(JSON.stringify(acl.properties)).not.toContain('"SampledRequestsEnabled":true');
  });

  test('has exactly the four rules, rate rules first', () => {
    expect(rules.map((rule) => [rule.Priority, rule.Name])).toEqual([
      [0, 'RateLimitPerIp'],
      [1, 'RateLimitPerToken'],
      [2, 'BodyTooLarge'],
      [3, 'AwsCommonRuleSet'],
    ]);
  });

  test('rate rule per client IP: 100 per 5 minutes (F-5.8.3)', () => {
    expect(ruleNamed(rules, 'RateLimitPerIp').Statement).toEqual({
      RateBasedStatement: { AggregateKeyType: 'IP', Limit: 100, EvaluationWindowSec: 300 },
    });
  });

  test('rate rule per token: the raw Authorization header, 20 per 5 minutes; paired with the IP rule because it skips requests without the header (F-5.8.4)', () => {
    expect(ruleNamed(rules, 'RateLimitPerToken').Statement).toEqual({
      RateBasedStatement: {
        AggregateKeyType: 'CUSTOM_KEYS',
        CustomKeys: [{ Header: { Name: 'Authorization', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }],
        Limit: 20,
        EvaluationWindowSec: 300,
      },
    });
  });

  test('both rate rules block with a custom 429, rate-limited body and Retry-After of the window', () => {
    for (const name of ['RateLimitPerIp', 'RateLimitPerToken']) {
      expect(ruleNamed(rules, name).Action).toEqual({
        Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'rate-limited', ResponseHeaders: [{ Name: 'Retry-After', Value: '300' }] } },
      });
    }
  });

  test('a body over 8 KB (or over the inspection limit) gets a custom 413 (F-5.6.1: REQUEST_TOO_LARGE cannot be customised)', () => {
    const rule = ruleNamed(rules, 'BodyTooLarge');
    expect(rule.Statement).toEqual({
      SizeConstraintStatement: {
        FieldToMatch: { Body: { OversizeHandling: 'MATCH' } },
        ComparisonOperator: 'GT',
        Size: 8192,
        TextTransformations: [{ Priority: 0, Type: 'NONE' }],
      },
    });
    expect(rule.Action).toEqual({ Block: { CustomResponse: { ResponseCode: 413, CustomResponseBodyKey: 'payload-too-large' } } });
  });

  test('the AWS common rule set runs with its own 8 KB body rule counted, and blocks through the WAF_FILTERED gateway response', () => {
    const rule = ruleNamed(rules, 'AwsCommonRuleSet');
    expect(rule.OverrideAction).toEqual({ None: {} });
    expect(rule.Action).toBeUndefined();
    expect(rule.Statement).toEqual({
      ManagedRuleGroupStatement: {
        VendorName: 'AWS',
        Name: 'AWSManagedRulesCommonRuleSet',
        RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
      },
    });
    const wafFiltered = onlyResource(template, 'AWS::ApiGateway::GatewayResponse', { ResponseType: 'WAF_FILTERED' }).properties;
    expect(wafFiltered.StatusCode).toBe('403');
    expect(JSON.parse(wafFiltered.ResponseTemplates['application/json'])).toMatchObject({ code: 'forbidden', requestId: '$context.requestId' });
  });

  test('custom response bodies are application/json problem documents from the catalogue, with the contract members', () => {
    const bodies = acl.properties.CustomResponseBodies;
    expect(Object.keys(bodies).sort()).toEqual(['payload-too-large', 'rate-limited']);
    for (const code of ['rate-limited', 'payload-too-large'] as const) {
      expect(bodies[code].ContentType).toBe('APPLICATION_JSON');
      const body = JSON.parse(bodies[code].Content);
      expect(body).toEqual({
        type: problemType(code),
        title: PROBLEMS[code].title,
        status: PROBLEMS[code].status,
        code,
        detail: PROBLEMS[code].detail,
        requestId: WAF_REQUEST_ID,
      });
    }
  });

  test('is associated with the stage ARN and the association depends on the stage explicitly (F-5.8.1)', () => {
    const stage = onlyResource(template, 'AWS::ApiGateway::Stage');
    const found = template.findResources('AWS::WAFv2::WebACLAssociation');
    expect(Object.keys(found)).toHaveLength(1);
    const association = Object.values(found)[0] as any;
    expect(association.DependsOn).toContain(stage.id);
    expect(association.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [acl.id, 'Arn'] });
    const arn = JSON.stringify(association.Properties.ResourceArn);
    expect(arn).toContain(':apigateway:');
    expect(arn).toContain('::/restapis/');
    expect(arn).toContain('/stages/');
  });
});

describe('web ACL options', () => {
  test('limits and window come from props', () => {
    const { template } = synthStack({ api: { wafIpRateLimit: 300, wafTokenRateLimit: 10, wafRateWindow: Duration.minutes(10) } });
    const rules: any[] = onlyResource(template, 'AWS::WAFv2::WebACL').properties.Rules;
    expect(ruleNamed(rules, 'RateLimitPerIp').Statement.RateBasedStatement).toMatchObject({ Limit: 300, EvaluationWindowSec: 600 });
    expect(ruleNamed(rules, 'RateLimitPerToken').Statement.RateBasedStatement).toMatchObject({ Limit: 10, EvaluationWindowSec: 600 });
    expect(ruleNamed(rules, 'RateLimitPerIp').Action.Block.CustomResponse.ResponseHeaders).toEqual([{ Name: 'Retry-After', Value: '600' }]);
  });

  test('with one allowed origin, WAF responses carry the static CORS headers', () => {
    const { template } = synthStack({ api: { allowedOrigins: ['https://portal.example.com'] } });
    const rules: any[] = onlyResource(template, 'AWS::WAFv2::WebACL').properties.Rules;
    expect(ruleNamed(rules, 'BodyTooLarge').Action.Block.CustomResponse.ResponseHeaders).toEqual([
      { Name: 'Access-Control-Allow-Origin', Value: 'https://portal.example.com' },
      { Name: 'Access-Control-Expose-Headers', Value: 'Retry-After' },
    ]);
  });

  test('with several allowed origins, WAF responses carry no CORS headers (WAF cannot echo the Origin)', () => {
    const { template } = synthStack({ api: { allowedOrigins: ['https://a.example.com', 'https://b.example.com'] } });
    const rules: any[] = onlyResource(template, 'AWS::WAFv2::WebACL').properties.Rules;
    expect(ruleNamed(rules, 'BodyTooLarge').Action.Block.CustomResponse.ResponseHeaders).toBeUndefined();
    expect(JSON.stringify(ruleNamed(rules, 'RateLimitPerIp').Action)).not.toContain('Access-Control');
  });

  test('webAcl: false removes the web ACL and the association', () => {
    const { template } = synthStack({ api: { webAcl: false } });
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });

  test('webAclArn associates the given web ACL instead of creating one', () => {
    const { template } = synthStack({ api: { webAclArn: WEB_ACL_ARN } });
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    const association = onlyResource(template, 'AWS::WAFv2::WebACLAssociation');
    expect(association.properties.WebACLArn).toBe(WEB_ACL_ARN);
    const stage = onlyResource(template, 'AWS::ApiGateway::Stage');
    expect((template.toJSON().Resources[association.id] as any).DependsOn).toContain(stage.id);
  });
});

describe('function concurrency', () => {
  test('reservedConcurrentExecutions is passed through', () => {
    const { template } = synthStack({ api: { reservedConcurrentExecutions: 3 } });
    expect(onlyResource(template, 'AWS::Lambda::Function').properties.ReservedConcurrentExecutions).toBe(3);
  });
});

