// What the API's routes are built from.
import type { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Logger } from 'pino';
import type { Db } from '../db/knex.ts';
import type { PaymentProviderConfig } from '../config/payments.ts';
import { createApiKeysRepository } from '../db/repositories/api-keys.ts';
import { createChannelAllocationsRepository } from '../db/repositories/channel-allocations.ts';
import { createChannelSyncRepository } from '../db/repositories/channel-sync.ts';
import { createInventoryRepository } from '../db/repositories/inventory.ts';
import { createNetworkRepository } from '../db/repositories/network.ts';
import { createOrdersRepository } from '../db/repositories/orders.ts';
import { createRoutingRepository } from '../db/repositories/routing.ts';
import { createTransfersRepository } from '../db/repositories/transfers.ts';
import { createCustomersRepository } from '../db/repositories/customers.ts';
import { createFulfillmentsRepository } from '../db/repositories/fulfillments.ts';
import { createLabelsRepository } from '../db/repositories/labels.ts';
import { createMessagesRepository, type MessagesRepository } from '../db/repositories/messages.ts';
import { createMessageComposer, type MessageComposer } from '../services/messages/compose.ts';
import { createOutboxRepository } from '../db/repositories/outbox.ts';
import { createReturnsRepository } from '../db/repositories/returns.ts';
import { createWebhooksRepository } from '../db/repositories/webhooks.ts';
import { loadConfig } from '../config/index.ts';
import { RateLimiter } from './rate-limit.ts';
import { FifoGate } from '../services/admission.ts';
import { createSessionsRepository } from '../db/repositories/sessions.ts';
import { createBoardRepository } from '../db/repositories/board.ts';
import { createAnalyticsRepository } from '../db/repositories/analytics.ts';
import { createPickListsRepository } from '../db/repositories/pick-lists.ts';
import { createDemandRepository } from '../db/repositories/demand.ts';
import { createAuditRepository } from '../db/repositories/audit.ts';
import { createForecastService } from '../services/forecasting/forecasts.ts';
import { createReplenishmentService } from '../services/replenishment/replenishment.ts';
import { createLearningService } from '../services/routing/learning.ts';
import { createPromiseService } from '../services/promises/promises.ts';
import { createMarketsRepository } from '../db/repositories/markets.ts';
import { createCarrierEventsRepository, type CarrierEventsRepository } from '../db/repositories/carrier-events.ts';
import { createPickupCodeAttemptsRepository, type PickupCodeAttemptsRepository } from '../db/repositories/pickup-codes.ts';
import { KnownCredentials } from './known-credentials.ts';
import { targetPolicy, type TargetPolicy } from '../services/webhooks/outbound.ts';

/** The payload codec: encrypts payloads, and names the data regions it has keys for (services/temporal/payload-codec.ts). */
export type ApiCodec = PayloadCodec & { dataRegions?(): string[] };

export interface ApiDeps {
  db: Db;
  temporal: Client;
  temporalConnection: Connection;
  taskQueue: string;
  logger: Logger;
  network: ReturnType<typeof createNetworkRepository>;
  inventory: ReturnType<typeof createInventoryRepository>;
  orders: ReturnType<typeof createOrdersRepository>;
  apiKeys: ReturnType<typeof createApiKeysRepository>;
  sessions: ReturnType<typeof createSessionsRepository>;
  /** How long a console session lasts (FULCRUM_SESSION_HOURS). */
  sessionTtlSeconds: number;
  /** Where the board's "today" is counted (FULCRUM_BUSINESS_TIMEZONE). */
  businessTimezone: string;
  /** The Temporal UI and namespace the console links workflows to. */
  temporalUi: { url: string; namespace: string };
  board: ReturnType<typeof createBoardRepository>;
  analytics: ReturnType<typeof createAnalyticsRepository>;
  pickLists: ReturnType<typeof createPickListsRepository>;
  demand: ReturnType<typeof createDemandRepository>;
  forecasts: ReturnType<typeof createForecastService>;
  replenishment: ReturnType<typeof createReplenishmentService>;
  learning: ReturnType<typeof createLearningService>;
  promises: ReturnType<typeof createPromiseService>;
  markets: ReturnType<typeof createMarketsRepository>;
  allocations: ReturnType<typeof createChannelAllocationsRepository>;
  channelSync: ReturnType<typeof createChannelSyncRepository>;
  transfers: ReturnType<typeof createTransfersRepository>;
  routing: ReturnType<typeof createRoutingRepository>;
  fulfillments: ReturnType<typeof createFulfillmentsRepository>;
  labels: ReturnType<typeof createLabelsRepository>;
  messages: MessagesRepository;
  /** Renders customer messages (templates, previews), with the deployment's sender and tracking links. */
  messageComposer: MessageComposer;
  customers: ReturnType<typeof createCustomersRepository>;
  outbox: ReturnType<typeof createOutboxRepository>;
  returns: ReturnType<typeof createReturnsRepository>;
  webhooks: ReturnType<typeof createWebhooksRepository>;
  rateLimiter: RateLimiter;
  /** Per client address: lookups of credentials not known to be live (api/auth.ts). */
  authFailureLimiter: RateLimiter;
  /** The hashes of live API keys and sessions, in memory (api/known-credentials.ts). */
  knownKeys: KnownCredentials;
  knownSessions: KnownCredentials;
  carrierEvents: CarrierEventsRepository;
  /** A bearer token /metrics requires (FULCRUM_METRICS_TOKEN); unset: /metrics is open. */
  metricsToken?: string;
  /** The secret Karrio's webhook sends in X-Event-Id; unset: Karrio's webhooks are refused. */
  karrioWebhookSecret?: string;
  /** The signing secret of Stripe's webhook; unset: Stripe's webhooks are refused. */
  stripeWebhookSecret?: string;
  /** Which payment provider each channel pays through (intake checks the authorization's form). */
  payments: Pick<PaymentProviderConfig, 'defaultProvider' | 'byChannel'>;
  /** Where webhooks may point (FULCRUM_WEBHOOK_ALLOW_HOSTS and the resolver). */
  webhookTargets: TargetPolicy;
  pickupCodes: PickupCodeAttemptsRepository;
  /** The payload codec, when payloads are encrypted: /codec decodes with it for authorised ops. */
  codec?: ApiCodec;
  codecCorsOrigins: string[];
  audit: ReturnType<typeof createAuditRepository>;
  requestTimeoutMs: number;
  /** `?wait=routed` requests of this process queue here (services/admission.ts). */
  routingWaits: FifoGate;
  /** How long a first request holds its Idempotency-Key before a retry may take it over. */
  idempotencyLeaseMs: number;
  /** How long stored Idempotency-Key answers are kept (FULCRUM_IDEMPOTENCY_RETENTION_HOURS). */
  idempotencyRetentionHours: number;
  /** Trust X-Forwarded-Proto/-For from a TLS-terminating proxy (FULCRUM_TRUST_PROXY). */
  trustProxy: boolean;
}

export function createApiDeps(args: {
  db: Db;
  temporal: Client;
  temporalConnection: Connection;
  taskQueue: string;
  logger: Logger;
  rateLimitPerMinute?: number;
  authFailuresPerMinute?: number;
  requestTimeoutMs?: number;
  idempotencyLeaseMs?: number;
  routingWaits?: number;
  codec?: ApiCodec;
  trustProxy?: boolean;
}): ApiDeps {
  const config = loadConfig();
  return {
    ...args,
    rateLimiter: new RateLimiter(args.rateLimitPerMinute ?? config.rateLimitPerMinute),
    authFailureLimiter: new RateLimiter(args.authFailuresPerMinute ?? config.authFailuresPerMinute),
    knownKeys: new KnownCredentials(() => createApiKeysRepository(args.db).liveKeyHashes()),
    knownSessions: new KnownCredentials(() => createSessionsRepository(args.db).liveTokenHashes()),
    carrierEvents: createCarrierEventsRepository(args.db),
    webhookTargets: targetPolicy(config.webhookAllowHosts),
    ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}),
    ...(config.carriers.karrioWebhookSecret ? { karrioWebhookSecret: config.carriers.karrioWebhookSecret } : {}),
    ...(config.payments.stripeWebhookSecret ? { stripeWebhookSecret: config.payments.stripeWebhookSecret } : {}),
    payments: config.payments,
    pickupCodes: createPickupCodeAttemptsRepository(args.db),
    requestTimeoutMs: args.requestTimeoutMs ?? config.requestTimeoutMs,
    // A request cannot run longer than its timeout: past that (and a margin) its process is gone.
    idempotencyLeaseMs: args.idempotencyLeaseMs ?? (args.requestTimeoutMs ?? config.requestTimeoutMs) + 5_000,
    idempotencyRetentionHours: config.idempotencyRetentionHours,
    codecCorsOrigins: config.codecCorsOrigins,
    trustProxy: args.trustProxy ?? config.trustProxy,
    routingWaits: new FifoGate(args.routingWaits ?? config.routingWaits),
    network: createNetworkRepository(args.db),
    inventory: createInventoryRepository(args.db),
    orders: createOrdersRepository(args.db),
    apiKeys: createApiKeysRepository(args.db),
    sessions: createSessionsRepository(args.db),
    sessionTtlSeconds: config.sessionHours * 3600,
    businessTimezone: config.orderPolicy.timezone ?? 'UTC',
    temporalUi: { url: config.temporalUiUrl, namespace: config.temporalNamespace },
    board: createBoardRepository(args.db),
    analytics: createAnalyticsRepository(args.db),
    pickLists: createPickListsRepository(args.db),
    demand: createDemandRepository(args.db),
    forecasts: createForecastService(args.db),
    replenishment: createReplenishmentService({ db: args.db, temporal: args.temporal, taskQueue: args.taskQueue }),
    learning: createLearningService(args.db),
    promises: createPromiseService({ db: args.db, temporal: args.temporal, taskQueue: args.taskQueue }),
    markets: createMarketsRepository(args.db),
    allocations: createChannelAllocationsRepository(args.db),
    channelSync: createChannelSyncRepository(args.db),
    transfers: createTransfersRepository(args.db),
    routing: createRoutingRepository(args.db),
    fulfillments: createFulfillmentsRepository(args.db),
    labels: createLabelsRepository(args.db),
    messages: createMessagesRepository(args.db),
    messageComposer: createMessageComposer(args.db, { defaultFrom: config.messages.defaultFrom, trackingUrls: config.messages.trackingUrls }),
    customers: createCustomersRepository(args.db),
    outbox: createOutboxRepository(args.db),
    returns: createReturnsRepository(args.db),
    webhooks: createWebhooksRepository(args.db),
    audit: createAuditRepository(args.db),
  };
}
