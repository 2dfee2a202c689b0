// SPDX-License-Identifier: Apache-2.0
/**
 * The AWS WAF web ACL in front of the stage (abuse controls, F-3.4.4: every request checks two
 * TOTP codes, so the API can be used to guess codes).
 *
 * Rules, in order:
 *
 * 0. `RateLimitPerIp`: rate-based, keyed on the client IP.
 * 1. `RateLimitPerToken`: rate-based, keyed on the raw `Authorization` header. A rule keyed on a
 *    header skips requests that lack it (F-5.8.4), so rule 0 must stay: together they cover
 *    token-less floods and one token spread over many IPs.
 * 2. `BodyTooLarge`: a body over 8 KB (or over WAF's inspection limit, OversizeHandling MATCH)
 *    is answered 413 `payload-too-large` here. API Gateway's own REQUEST_TOO_LARGE response
 *    cannot be customised (F-5.6.1), so this is the only way the deployed API answers an
 *    oversized body with the contract's document (as `application/json`). A valid body is
 *    under 300 bytes.
 * 3. `AwsCommonRuleSet`: `AWSManagedRulesCommonRuleSet`, with its own `SizeRestrictions_BODY`
 *    (the same 8 KB, answered 403) set to Count because rule 2 already answers those with 413.
 *    Its blocks use no custom response: API Gateway then answers with the WAF_FILTERED gateway
 *    response (F-5.6.1), which this API already renders as the contract's
 *    `application/problem+json` 403 `forbidden` with the real request ID and the CORS headers,
 *    which a WAF custom response could not carry.
 *
 * WAF custom responses are static: their body is a fixed string and their content type one of
 * TEXT_PLAIN, TEXT_HTML, APPLICATION_JSON, with no placeholders (AWS::WAFv2::WebACL
 * CustomResponseBody). So the contract's exception applies: `application/json`, the same
 * members, and a fixed `requestId` (`WAF_REQUEST_ID`) that tells an administrator the web ACL
 * answered (see its per-rule CloudWatch metrics) rather than API Gateway. Sampled requests are
 * off because they would store the bearer token.
 */
import { Duration } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { PROBLEMS, problemDocument, type ProblemCode } from '../lambda/http/problems';

/** The `requestId` of WAF's own responses, which cannot carry API Gateway's request ID. */
export const WAF_REQUEST_ID = 'aws-waf';

/** Defaults, with the reasoning in the props' docs (`MfaResyncApiProps`). */
export const DEFAULT_WAF_IP_RATE_LIMIT = 100;
export const DEFAULT_WAF_TOKEN_RATE_LIMIT = 20;
export const DEFAULT_WAF_RATE_WINDOW = Duration.minutes(5);
/** F-5.8.3: a rate-based rule's limit and the windows WAF supports. */
export const WAF_MIN_RATE_LIMIT = 10;
export const WAF_MAX_RATE_LIMIT = 2_000_000_000;
export const WAF_RATE_WINDOWS_SECONDS: readonly number[] = [60, 120, 300, 600];
/** The body size WAF answers 413 above; the same as the common rule set's SizeRestrictions_BODY. */
export const WAF_MAX_BODY_BYTES = 8192;

export const WAF_RULE_NAMES = {
  ipRate: 'RateLimitPerIp',
  tokenRate: 'RateLimitPerToken',
  bodyTooLarge: 'BodyTooLarge',
  commonRuleSet: 'AwsCommonRuleSet',
} as const;

/** CustomResponseBodies keys (pattern `^[\w\-]+$`). */
export const WAF_BODY_KEYS = { rateLimited: 'rate-limited', payloadTooLarge: 'payload-too-large' } as const;

/**
 * A problem document for a WAF custom response: the contract's members, from the catalogue
 * (single source), `requestId` fixed.
 */
export function wafProblemBody(code: ProblemCode): string {
  return JSON.stringify(problemDocument(code, WAF_REQUEST_ID));
}

export interface WebAclSettings {
  readonly ipRateLimit: number;
  readonly tokenRateLimit: number;
  readonly rateWindowSeconds: number;
  /**
   * Headers every WAF custom response carries besides Retry-After: the static CORS headers when
   * the API allows exactly one origin or `*`. WAF cannot echo the request's Origin, so with
   * several origins a browser sees WAF's 429/413 as a CORS error.
   */
  readonly corsHeaders: Readonly<Record<string, string>>;
}

export class MfaResyncWebAcl extends Construct {
  public readonly webAcl: wafv2.CfnWebACL;
  /** The prefix of every CloudWatch metric name of the ACL and its rules. */
  public readonly metricPrefix: string;

  constructor(scope: Construct, id: string, settings: WebAclSettings) {
    super(scope, id);
    this.metricPrefix = 'MfaResync';
    const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      // No sampled requests: WAF stores a sample with all headers, including `Authorization`
      // (ID tokens valid for 15 minutes), readable by anyone with wafv2:GetSampledRequests.
      // The per-rule metrics above say what was blocked; nothing here needs the requests.
      sampledRequestsEnabled: false,
      metricName: `${this.metricPrefix}${name}`,
    });
    const cors = Object.entries(settings.corsHeaders).map(([name, value]) => ({ name, value }));
    const block = (status: number, bodyKey: string, extraHeaders: { name: string; value: string }[]): wafv2.CfnWebACL.RuleActionProperty => {
      const headers = [...extraHeaders, ...cors];
      // ResponseHeaders, when present, must have at least one item.
      return {
        block: {
          customResponse: {
            responseCode: status,
            customResponseBodyKey: bodyKey,
            ...(headers.length === 0 ? {} : { responseHeaders: headers }),
          },
        },
      };
    };
    // A rate-based rule keeps blocking while the count over the trailing window exceeds the
    // limit, so the window is the honest upper bound for Retry-After.
    const rateLimited = block(PROBLEMS['rate-limited'].status, WAF_BODY_KEYS.rateLimited, [
      { name: 'Retry-After', value: String(settings.rateWindowSeconds) },
    ]);

    const rules: wafv2.CfnWebACL.RuleProperty[] = [
      {
        name: WAF_RULE_NAMES.ipRate,
        priority: 0,
        action: rateLimited,
        statement: {
          rateBasedStatement: {
            aggregateKeyType: 'IP',
            limit: settings.ipRateLimit,
            evaluationWindowSec: settings.rateWindowSeconds,
          },
        },
        visibilityConfig: visibility(WAF_RULE_NAMES.ipRate),
      },
      {
        name: WAF_RULE_NAMES.tokenRate,
        priority: 1,
        action: rateLimited,
        statement: {
          rateBasedStatement: {
            aggregateKeyType: 'CUSTOM_KEYS',
            // The raw header, untransformed: one counter per token (F-5.8.4; a new token starts
            // a fresh counter, which rule 0 and the Cognito token lifetime bound).
            customKeys: [{ header: { name: 'Authorization', textTransformations: [{ priority: 0, type: 'NONE' }] } }],
            limit: settings.tokenRateLimit,
            evaluationWindowSec: settings.rateWindowSeconds,
          },
        },
        visibilityConfig: visibility(WAF_RULE_NAMES.tokenRate),
      },
      {
        name: WAF_RULE_NAMES.bodyTooLarge,
        priority: 2,
        action: block(PROBLEMS['payload-too-large'].status, WAF_BODY_KEYS.payloadTooLarge, []),
        statement: {
          sizeConstraintStatement: {
            fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
            comparisonOperator: 'GT',
            size: WAF_MAX_BODY_BYTES,
            textTransformations: [{ priority: 0, type: 'NONE' }],
          },
        },
        visibilityConfig: visibility(WAF_RULE_NAMES.bodyTooLarge),
      },
      {
        name: WAF_RULE_NAMES.commonRuleSet,
        priority: 3,
        overrideAction: { none: {} },
        statement: {
          managedRuleGroupStatement: {
            vendorName: 'AWS',
            name: 'AWSManagedRulesCommonRuleSet',
            ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }],
          },
        },
        visibilityConfig: visibility(WAF_RULE_NAMES.commonRuleSet),
      },
    ];

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      description: 'mfa-resync: per-IP and per-token rate limits, body size limit, AWS common rule set',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      customResponseBodies: {
        [WAF_BODY_KEYS.rateLimited]: { contentType: 'APPLICATION_JSON', content: wafProblemBody('rate-limited') },
        [WAF_BODY_KEYS.payloadTooLarge]: { contentType: 'APPLICATION_JSON', content: wafProblemBody('payload-too-large') },
      },
      rules,
      visibilityConfig: visibility('WebAcl'),
    });
  }
}
