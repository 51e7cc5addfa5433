import { GetAccountSettingsCommand, GetFunctionConcurrencyCommand, LambdaClient, paginateListFunctions } from '@aws-sdk/client-lambda';
import { DEFAULT_RESERVED_CONCURRENCY, STACK_NAME, WEBHOOK_CONCURRENCY } from '../deployment-contract.ts';

/**
 * Lambda keeps 100 of an account's concurrent executions unreserved, so functions may reserve only what is past them,
 * and new accounts get a quota of 10 ("Lambda quotas" and "Configuring reserved concurrency", Lambda Developer
 * Guide, read 2026-12-02). A reservation past that fails the stack's creation and rolls it back. What may be reserved
 * is the account's unreserved figure, which other functions' reservations lower, plus what the bot's own functions
 * reserve now (a redeploy moves their reservation, it does not add to it).
 */
const ALWAYS_UNRESERVED = 100;

/** The account's concurrency as the deploy sees it before deploying. */
export interface AccountConcurrency {
  /** The account's quota of concurrent executions. */
  limit: number;
  /** What no function reserves now, when known: the quota less every reservation. */
  unreserved?: number;
  /** What the bot's functions of an earlier deploy reserve now (0 before the first). */
  ownReserved?: number;
}

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
export function reservationPlan({ requested, account }: { requested: string | undefined; account: AccountConcurrency }): ReservationPlan {
  if (requested === 'none') return { reservedConcurrency: requested };
  const wanted = (requested === undefined ? DEFAULT_RESERVED_CONCURRENCY : Number(requested)) + WEBHOOK_CONCURRENCY;
  const othersKnown = account.unreserved !== undefined && account.ownReserved !== undefined;
  const reservable = (othersKnown ? account.unreserved! + account.ownReserved! : account.limit) - ALWAYS_UNRESERVED;
  if (wanted <= reservable) return { reservedConcurrency: requested };
  const others = othersKnown ? account.limit - account.unreserved! - account.ownReserved! : 0;
  const taken = others > 0 ? `, other functions reserve ${others} of it,` : ',';
  const why = `this account's Lambda concurrency quota is ${account.limit}${taken} and Lambda keeps ${ALWAYS_UNRESERVED} of it unreserved, so the ${wanted} the bot's functions would reserve (the worker's ${wanted - WEBHOOK_CONCURRENCY} and the webhook's ${WEBHOOK_CONCURRENCY}) do not fit`;
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

/**
 * The account's concurrency in the region the deploy goes to; undefined when even the quota cannot be read. The bot's
 * own functions are found by the names CloudFormation gives them (`Hermes-AgentFunction…`, `Hermes-AgentWorker…`);
 * when they cannot be listed, only the quota is known, and other functions' reservations are left to CloudFormation.
 */
export async function accountConcurrency(client: LambdaClient = new LambdaClient({})): Promise<AccountConcurrency | undefined> {
  try {
    const settings = await client.send(new GetAccountSettingsCommand({}));
    const limit = settings.AccountLimit?.ConcurrentExecutions;
    if (limit === undefined) return undefined;
    const unreserved = settings.AccountLimit?.UnreservedConcurrentExecutions;
    const ownReserved = unreserved === undefined ? undefined : await reservedByTheBot(client).catch(() => undefined);
    return { limit, ...(unreserved !== undefined && ownReserved !== undefined ? { unreserved, ownReserved } : {}) };
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}

const OWN_FUNCTION = new RegExp(`^${STACK_NAME}-Agent(Function|Worker)`);

async function reservedByTheBot(client: LambdaClient): Promise<number> {
  let reserved = 0;
  for await (const page of paginateListFunctions({ client }, {})) {
    for (const fn of page.Functions ?? []) {
      if (!fn.FunctionName || !OWN_FUNCTION.test(fn.FunctionName)) continue;
      const { ReservedConcurrentExecutions } = await client.send(new GetFunctionConcurrencyCommand({ FunctionName: fn.FunctionName }));
      reserved += ReservedConcurrentExecutions ?? 0;
    }
  }
  return reserved;
}
