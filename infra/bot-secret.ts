import { Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { SECRET_KEYS } from '../agent/secret-keys.ts';

/**
 * One secret for every credential, so the template and the function's environment only ever carry its ARN.
 * CloudFormation generates the webhook secret; `npm run deploy` fills in the two keys only the user has.
 */
export class BotSecret extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'Hermes Telegram bot token, webhook secret token and model API key (JSON).',
      generateSecretString: {
        // Empty strings read as "not configured" in the function, which then names the missing key.
        secretStringTemplate: JSON.stringify({ [SECRET_KEYS.botToken]: '', [SECRET_KEYS.deepseekApiKey]: '' }),
        generateStringKey: SECRET_KEYS.webhookSecret,
        // Telegram accepts only A-Z, a-z, 0-9, _ and - in secret_token.
        excludePunctuation: true,
        includeSpace: false,
        passwordLength: 64,
      },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The bot token and model key are issued by Telegram and DeepSeek, which Secrets Manager cannot rotate; the webhook secret is re-keyed by re-running npm run set-webhook after changing it.',
    });
  }
}
