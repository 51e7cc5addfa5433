import { CfnMemory } from 'aws-cdk-lib/aws-bedrockagentcore';
import { Construct } from 'constructs';
import { USER_NAMESPACE_TEMPLATE } from '../agent/aws/agentcore-ids.ts';

/** The function searches each user's whole namespace, so the strategy writes the facts it extracts inside it. */
const FACTS_NAMESPACE_TEMPLATE = `${USER_NAMESPACE_TEMPLATE}facts`;

/** How long AgentCore may keep events: 7 to 365 days (CreateMemory, eventExpiryDuration, checked 2026-12-02). */
const EVENT_EXPIRY_DAYS = { min: 7, max: 365 } as const;

export interface AgentMemoryProps {
  /** HERMES_SESSION_TTL_DAYS: how long the conversation is kept in the table, and so its events here. */
  conversationDays: number;
}

/**
 * Long-term memory: AgentCore extracts facts from the conversation events the agent records. The events are the
 * conversation itself, so they expire with its rows, as near as AgentCore's range allows; the facts are the
 * long-term memory, kept until deleted, as Hermes keeps MEMORY.md.
 */
export class AgentMemory extends Construct {
  readonly memory: CfnMemory;

  constructor(scope: Construct, id: string, props: AgentMemoryProps) {
    super(scope, id);
    this.memory = new CfnMemory(this, 'Memory', {
      // AgentCore names allow only letters, digits and underscores, and are unique per account and region.
      name: 'hermes_memory',
      description: 'Hermes Telegram agent: conversation events and the facts extracted from them.',
      eventExpiryDuration: Math.min(EVENT_EXPIRY_DAYS.max, Math.max(EVENT_EXPIRY_DAYS.min, props.conversationDays)),
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
