// SPDX-License-Identifier: Apache-2.0
/**
 * CloudWatch alarms of mfa-resync.
 *
 * The function emits counts through Powertools Metrics (CloudWatch embedded metric format) in
 * the namespace `POWERTOOLS_METRICS_NAMESPACE`, dimension `service` = `mfa-resync`:
 * `Resynchronized`, `InvalidCodes`, `RateLimited`, `ServerErrors`. EMF creates a metric only
 * once it is first emitted, so every alarm treats missing data as not breaching.
 */
import { Duration } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DEFAULT_METRICS_NAMESPACE, METRIC_NAMES } from '../lambda/metric-names';

export { DEFAULT_METRICS_NAMESPACE };
/** The names the function emits (one definition, lambda/metric-names.ts; counts, unit Count). */
export const FUNCTION_METRICS = METRIC_NAMES;
export const ALARM_PERIOD = Duration.minutes(5);

/** Alarm thresholds: a sum over one 5-minute period at or above which the alarm fires. */
export interface AlarmThresholds {
  /**
   * `InvalidCodes` answers (422). A person with a drifted token fails a few times; a burst
   * means someone is guessing codes (F-3.4.4).
   *
   * @default 10
   */
  readonly invalidCodes?: number;
  /**
   * `ServerErrors` the function answered (500, 503: a bug, or IAM failing).
   *
   * @default 3
   */
  readonly serverErrors?: number;
  /**
   * `RateLimited` the function answered (429: IAM throttled it, or an application limit).
   *
   * @default 5
   */
  readonly rateLimited?: number;
  /**
   * API Gateway `5XXError` on the stage: includes what the function never saw (integration
   * failures and timeouts, authorizer errors).
   *
   * @default 3
   */
  readonly apiServerErrors?: number;
  /**
   * Lambda `Throttles` of the function: the reserved concurrency or the account's concurrency
   * is exhausted, and callers get 503.
   *
   * @default 1
   */
  readonly functionThrottles?: number;
  /**
   * Requests the web ACL's two rate-based rules blocked (only with the web ACL the construct
   * creates).
   *
   * @default 50
   */
  readonly wafRateLimitBlocks?: number;
}

export const DEFAULT_ALARM_THRESHOLDS: Required<AlarmThresholds> = {
  invalidCodes: 10,
  serverErrors: 3,
  rateLimited: 5,
  apiServerErrors: 3,
  functionThrottles: 1,
  wafRateLimitBlocks: 50,
};

export interface MfaResyncAlarmsProps {
  readonly namespace: string;
  readonly serviceName: string;
  readonly thresholds: Required<AlarmThresholds>;
  readonly stage: apigateway.Stage;
  readonly handler: lambda.IFunction;
  /** The created web ACL's name and its rate rules' metric names, when there is one. */
  readonly webAcl?: { readonly name: string; readonly rateRuleMetricNames: readonly string[] };
  readonly topic?: sns.ITopic;
}

export class MfaResyncAlarms extends Construct {
  public readonly invalidCodes: cloudwatch.Alarm;
  public readonly serverErrors: cloudwatch.Alarm;
  public readonly rateLimited: cloudwatch.Alarm;
  public readonly apiServerErrors: cloudwatch.Alarm;
  public readonly functionThrottles: cloudwatch.Alarm;
  public readonly wafRateLimitBlocks?: cloudwatch.Alarm;
  public readonly all: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: MfaResyncAlarmsProps) {
    super(scope, id);
    const fromFunction = (metricName: string): cloudwatch.Metric =>
      new cloudwatch.Metric({
        namespace: props.namespace,
        metricName,
        dimensionsMap: { service: props.serviceName },
        statistic: cloudwatch.Stats.SUM,
        period: ALARM_PERIOD,
      });
    const options = { statistic: cloudwatch.Stats.SUM, period: ALARM_PERIOD };

    this.invalidCodes = this.alarm('InvalidCodesBurst', fromFunction(FUNCTION_METRICS.invalidCodes), props.thresholds.invalidCodes,
      'A burst of rejected MFA code pairs: someone may be guessing codes (F-3.4.4). Check the audit log for the callers.');
    this.serverErrors = this.alarm('ServerErrors', fromFunction(FUNCTION_METRICS.serverErrors), props.thresholds.serverErrors,
      'The function answered 500 or 503: a bug, or IAM/STS failing. Check the function log by requestId.');
    this.rateLimited = this.alarm('RateLimited', fromFunction(FUNCTION_METRICS.rateLimited), props.thresholds.rateLimited,
      'The function answered 429: IAM or STS throttled it, or an application limit was hit.');
    this.apiServerErrors = this.alarm('ApiServerErrors', props.stage.metricServerError(options), props.thresholds.apiServerErrors,
      'API Gateway answered 5xx on the stage, including integration failures and timeouts the function never saw.');
    this.functionThrottles = this.alarm('FunctionThrottles', props.handler.metricThrottles(options), props.thresholds.functionThrottles,
      'Lambda throttled the function (reserved or account concurrency exhausted); callers got 503.');
    if (props.webAcl) {
      const blocked: Record<string, cloudwatch.IMetric> = {};
      props.webAcl.rateRuleMetricNames.forEach((rule, index) => {
        blocked[`m${index}`] = new cloudwatch.Metric({
          namespace: 'AWS/WAFV2',
          metricName: 'BlockedRequests',
          dimensionsMap: { WebACL: props.webAcl!.name, Region: props.stage.stack.region, Rule: rule },
          ...options,
        });
      });
      const sum = new cloudwatch.MathExpression({
        expression: Object.keys(blocked).join(' + '),
        usingMetrics: blocked,
        period: ALARM_PERIOD,
        label: 'Requests blocked by the rate-based rules',
      });
      this.wafRateLimitBlocks = this.alarm('WafRateLimitBlocks', sum, props.thresholds.wafRateLimitBlocks,
        'The web ACL\'s per-IP or per-token rate rule blocked requests: a flood or a code-guessing attempt.');
    }
    if (props.topic) {
      const action = new cloudwatchActions.SnsAction(props.topic);
      for (const alarm of this.all) alarm.addAlarmAction(action);
    }
  }

  private alarm(id: string, metric: cloudwatch.IMetric, threshold: number, description: string): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmDescription: `mfa-resync: ${description}`,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.all.push(alarm);
    return alarm;
  }
}
