import { CfnMemory } from 'aws-cdk-lib/aws-bedrockagentcore';
import { Construct } from 'constructs';
import { USER_NAMESPACE_TEMPLATE } from '../agent/aws/agentcore-ids.ts';

/** The function searches each user's whole namespace, so the strategy writes the facts it extracts inside it. */
const FACTS_NAMESPACE_TEMPLATE = `${USER_NAMESPACE_TEMPLATE}facts`;

/** Long-term memory: AgentCore extracts facts from the conversation events the agent records. */
export class AgentMemory extends Construct {
  readonly memory: CfnMemory;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.memory = new CfnMemory(this, 'Memory', {
      // AgentCore names allow only letters, digits and underscores, and are unique per account and region.
      name: 'hermes_memory',
      description: 'Hermes Telegram agent: conversation events and the facts extracted from them.',
      eventExpiryDuration: 90,
      memoryStrategies: [
        {
          semanticMemoryStrategy: {
            name: 'facts',
            description: 'Durable facts about each Telegram user.',
            namespaceTemplates: [FACTS_NAMESPACE_TEMPLATE],
          },
        },
      ],
    });
  }
}
