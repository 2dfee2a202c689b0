// SPDX-License-Identifier: Apache-2.0
/** CloudWatch alarms on the function's EMF metrics, API Gateway, Lambda and WAF. */
import { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { onlyResource, synthStack } from './synth';

function alarmWith(template: Template, description: RegExp): Record<string, any> {
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm: any) => alarm.Properties);
  const matching = alarms.filter((alarm) => description.test(alarm.AlarmDescription));
  if (matching.length !== 1) throw new Error(`expected one alarm matching ${description}, found ${matching.length}`);
  return matching[0];
}

const common = { ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1, TreatMissingData: 'notBreaching' };

describe('alarms (default)', () => {
  const { template } = synthStack();

  test('six alarms: three on function metrics, API 5xx, function throttles, WAF rate blocks', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 6);
  });

  test.each([
    [/guessing codes/, 'InvalidCodes', 10],
    [/500 or 503/, 'ServerErrors', 3],
    [/answered 429/, 'RateLimited', 5],
  ])('%s: %s from namespace MfaResync, dimension service=mfa-resync, sum over 5 min >= %d', (description, metricName, threshold) => {
    expect(alarmWith(template, description)).toMatchObject({
      ...common,
      Namespace: 'MfaResync',
      MetricName: metricName,
      Dimensions: [{ Name: 'service', Value: 'mfa-resync' }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: threshold,
    });
  });

  test('API Gateway 5XXError on the stage', () => {
    const stage = onlyResource(template, 'AWS::ApiGateway::Stage');
    const alarm = alarmWith(template, /API Gateway answered 5xx/);
    expect(alarm).toMatchObject({ ...common, Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Statistic: 'Sum', Period: 300, Threshold: 3 });
    expect(alarm.Dimensions).toEqual(expect.arrayContaining([{ Name: 'Stage', Value: { Ref: stage.id } }]));
    expect(alarm.Dimensions.map((dimension: any) => dimension.Name).sort()).toEqual(['ApiName', 'Stage']);
  });

  test('Lambda Throttles of the function', () => {
    const fn = onlyResource(template, 'AWS::Lambda::Function');
    expect(alarmWith(template, /throttled the function/)).toMatchObject({
      ...common,
      Namespace: 'AWS/Lambda',
      MetricName: 'Throttles',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn.id } }],
      Threshold: 1,
    });
  });

  test('WAF BlockedRequests of both rate rules, summed', () => {
    const alarm = alarmWith(template, /rate rule blocked/);
    expect(alarm).toMatchObject({ ...common, Threshold: 50 });
    const metrics = alarm.Metrics.filter((metric: any) => metric.MetricStat);
    expect(metrics.map((metric: any) => metric.MetricStat.Metric.MetricName)).toEqual(['BlockedRequests', 'BlockedRequests']);
    expect(metrics.map((metric: any) => metric.MetricStat.Metric.Namespace)).toEqual(['AWS/WAFV2', 'AWS/WAFV2']);
    const rules = metrics.map((metric: any) => metric.MetricStat.Metric.Dimensions.find((d: any) => d.Name === 'Rule').Value);
    expect(rules).toEqual(['MfaResyncRateLimitPerIp', 'MfaResyncRateLimitPerToken']);
    expect(alarm.Metrics.find((metric: any) => metric.Expression)?.Expression).toBe('m0 + m1');
  });

  test('no alarm actions without a topic', () => {
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm')) as any[]) {
      expect(alarm.Properties.AlarmActions).toBeUndefined();
    }
  });
});

describe('alarm options', () => {
  test('thresholds and namespace come from props; no WAF alarm without a created web ACL', () => {
    const { template } = synthStack({ api: { webAcl: false, metricsNamespace: 'Security/MfaResync', alarmThresholds: { invalidCodes: 25 } } });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 5);
    expect(alarmWith(template, /guessing codes/)).toMatchObject({ Namespace: 'Security/MfaResync', Threshold: 25 });
    expect(alarmWith(template, /500 or 503/)).toMatchObject({ Namespace: 'Security/MfaResync', Threshold: 3 });
  });

  test('every alarm notifies the given topic', () => {
    const topicArn = 'arn:aws:sns:us-east-1:111122223333:ops';
    const { template } = synthStack({ api: { alarmTopic: sns.Topic.fromTopicArn(new Stack(), 'Ops', topicArn) } });
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm')) as any[]) {
      expect(alarm.Properties.AlarmActions).toEqual([topicArn]);
    }
  });

  test('the stack imports alarmTopicArn without a lookup', () => {
    const topicArn = 'arn:aws:sns:us-east-1:111122223333:ops';
    const { template } = synthStack({ alarmTopicArn: topicArn });
    const actions = (Object.values(template.findResources('AWS::CloudWatch::Alarm')) as any[]).map((alarm) => alarm.Properties.AlarmActions);
    expect(actions).toEqual(Array(6).fill([topicArn]));
    template.resourceCountIs('AWS::SNS::Topic', 0);
  });

  test('alarms: false creates none', () => {
    const { template } = synthStack({ api: { alarms: false } });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });
});
