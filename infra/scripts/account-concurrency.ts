import { GetAccountSettingsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DEFAULT_RESERVED_CONCURRENCY, WEBHOOK_CONCURRENCY } from '../deployment-contract.ts';

/**
 * Lambda keeps 100 of an account's concurrent executions unreserved, so functions may reserve only what is past them,
 * and new accounts get a quota of 10 ("Lambda quotas" and "Configuring reserved concurrency", Lambda Developer
 * Guide, read 2026-12-02). A reservation past that fails the stack's creation and rolls it back. The check is on the
 * quota, which catches a new account exactly; what other functions of the account reserve is not counted (the
 * unreserved figure would count the bot's own reservation on a redeploy as taken), and CloudFormation refuses that.
 */
const ALWAYS_UNRESERVED = 100;

export interface ReservationPlan {
  /** HERMES_RESERVED_CONCURRENCY as it is to be deployed. */
  reservedConcurrency: string | undefined;
  /** Why it is not what was asked for. */
  notice?: string;
}

/**
 * What the deploy reserves in an account whose quota is `accountLimit`: what was asked for when it fits; nothing
 * when the default does not fit, saying so; a clear refusal when an explicit number does not fit.
 */
export function reservationPlan({ requested, accountLimit }: { requested: string | undefined; accountLimit: number }): ReservationPlan {
  if (requested === 'none') return { reservedConcurrency: requested };
  const wanted = (requested === undefined ? DEFAULT_RESERVED_CONCURRENCY : Number(requested)) + WEBHOOK_CONCURRENCY;
  const reservable = accountLimit - ALWAYS_UNRESERVED;
  if (wanted <= reservable) return { reservedConcurrency: requested };
  const why = `this account's Lambda concurrency quota is ${accountLimit}, and Lambda keeps ${ALWAYS_UNRESERVED} of it unreserved, so the ${wanted} the bot's functions would reserve (the worker's ${wanted - WEBHOOK_CONCURRENCY} and the webhook's ${WEBHOOK_CONCURRENCY}) do not fit`;
  if (requested !== undefined) {
    // The worker reserves 2 or more (the queue poller's minimum), so below that only `none` fits.
    const fitting = reservable - WEBHOOK_CONCURRENCY;
    const choices = fitting >= 2 ? `HERMES_RESERVED_CONCURRENCY=none, or a number up to ${fitting}` : 'HERMES_RESERVED_CONCURRENCY=none';
    throw new Error(`HERMES_RESERVED_CONCURRENCY=${requested} cannot be deployed: ${why}. Set ${choices}, or ask for a higher quota (Service Quotas, "Concurrent executions").`);
  }
  return {
    reservedConcurrency: 'none',
    notice: `Reserving no concurrency (HERMES_RESERVED_CONCURRENCY=none): ${why}. The worker still runs at most a few turns at once. Once the quota is raised (Service Quotas, "Concurrent executions"), deploy again to reserve.`,
  };
}

/** The account's concurrency quota in the region the deploy goes to; undefined when it cannot be read. */
export async function accountConcurrencyLimit(client: LambdaClient = new LambdaClient({})): Promise<number | undefined> {
  try {
    const settings = await client.send(new GetAccountSettingsCommand({}));
    return settings.AccountLimit?.ConcurrentExecutions;
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}
