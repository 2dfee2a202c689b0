// SPDX-License-Identifier: Apache-2.0
/** Builds stacks for the infra tests without bundling (fast); the bundling test opts back in. */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MfaResyncStack, type MfaResyncStackProps } from '../../lib/mfa-resync-stack';

/** `aws:cdk:bundling-stacks: []` makes NodejsFunction skip esbuild (aesthetics §8). */
export function appWithoutBundling(): App {
  return new App({ context: { 'aws:cdk:bundling-stacks': [] } });
}

export function synthStack(props: MfaResyncStackProps = {}): { app: App; stack: MfaResyncStack; template: Template } {
  const app = appWithoutBundling();
  const stack = new MfaResyncStack(app, 'MfaResyncTest', props);
  return { app, stack, template: Template.fromStack(stack) };
}

/** The single resource of a type whose properties match, with its logical ID. */
export function onlyResource(template: Template, type: string, props: object = {}): { id: string; properties: Record<string, any> } {
  const found = template.findResources(type, { Properties: props });
  const ids = Object.keys(found);
  if (ids.length !== 1) throw new Error(`expected exactly one ${type} matching ${JSON.stringify(props)}, found ${ids.length}`);
  const [id] = ids as [string];
  return { id, properties: (found[id] as { Properties: Record<string, any> }).Properties };
}

export const IMPORTED_POOL_ID = 'us-east-1_TestPool1';
export const ACCESS_SCOPE = 'mfa-resync/self-service';
