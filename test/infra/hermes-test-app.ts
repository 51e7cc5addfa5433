import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addHermesStack } from '../../infra/hermes-app.ts';
import type { HermesStack } from '../../infra/hermes-stack.ts';

export interface SynthesizedHermes {
  app: App;
  stack: HermesStack;
  template: Template;
}

/** The production app (cdk-nag included) with bundling skipped, so synth stays fast; the bundle has a test of its own. */
export function synthesizeHermes(context: Record<string, unknown> = {}): SynthesizedHermes {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = addHermesStack(app, {});
  return { app, stack, template: Template.fromStack(stack) };
}
