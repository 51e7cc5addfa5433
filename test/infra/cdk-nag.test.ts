import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { synthesizeHermes } from './hermes-test-app.ts';

const VARIANTS: Record<string, Record<string, unknown>> = {
  'DeepSeek, no alarm e-mail': { allowedUsers: '1' },
  'Bedrock, default model, alarm e-mail': { provider: 'bedrock', allowedUsers: '1', alarmEmail: 'ops@example.com' },
  'Bedrock, pinned inference profile': { provider: 'bedrock', model: 'us.anthropic.claude-sonnet-4-6-v1', allowedUsers: '1' },
};

interface Acknowledgement {
  path: string;
  id: string;
}

function acknowledgements(root: ReturnType<typeof synthesizeHermes>['app']): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.keys(entry.data as object).map((key) => ({ path: construct.node.path, id: key.replace(/^annotation::/i, '') }))),
  );
}

/** cdk-nag exposes no switch to ignore acknowledgements, so its private check is replaced to see the raw findings. */
function unacknowledgedChecks(): AwsSolutionsChecks {
  const checks = new AwsSolutionsChecks();
  (checks as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  return checks;
}

describe.each(Object.entries(VARIANTS))('cdk-nag AwsSolutions (%s)', (_name, context) => {
  const { app } = synthesizeHermes(context);

  it('synthesizes with the plugin registered and reports no violation', () => {
    const report = JSON.parse(readFileSync(join(app.synth().directory, 'validation-report.json'), 'utf8')) as { pluginReports: unknown[] };
    expect(report.pluginReports).toEqual([]);
    const direct = new AwsSolutionsChecks().validateScope(app);
    expect(direct.violations.map((violation) => violation.ruleName)).toEqual([]);
    expect(direct.success).toBe(true);
  });

  it('acknowledges only findings that really occur, on the construct that has them', () => {
    const raw = unacknowledgedChecks().validateScope(app).violations;
    const stale = acknowledgements(app).filter(
      (ack) => !raw.some((violation) => violation.ruleName === ack.id && violation.violatingResources.some((resource) => resource.constructPath?.startsWith(`${ack.path}/`))),
    );
    expect(stale).toEqual([]);
  });
});
