/**
 * Deploying a Commerce-triggered flow: read Commerce's `$metadata` of the integration object the
 * endpoint is generated from (with the flow's Commerce credentials), start the OData V2 sender
 * endpoint, and hand back what Commerce's destination needs.
 */
import type { FlowContext, RunningFlow } from '../contract.js';
import type { EdmModel } from '../../scpi/edmx.js';
import type { Message } from '../../scpi/message.js';
import { startODataSender } from '../../scpi/odata-sender.js';
import { type MessageRun, ProcessingLog } from '../../scpi/processing-log.js';
import { fetchMetadata } from '../../scpi/service-metadata.js';
import { DEFAULT_HTTP_TIMEOUT_MS } from '../../scpi/http-receiver.js';
import { DEFAULT_INBOUND_CREDENTIALS, type ReferenceFlowOptions } from './options.js';

export interface SenderFlowDefinition {
  /** Name of the logs, e.g. `reference:send-orders`. */
  name: string;
  /** The iFlow id; the endpoint is `/gw/odata/SAP/<ID>;v=1/`. */
  iflowId: string;
  /** Commerce integration object whose `$metadata` the endpoint is generated from. */
  integrationObject: string;
  entitySet: string;
  /** The flow's steps between the sender adapter's conversions. */
  process: (message: Message, run: MessageRun) => Promise<void>;
}

export async function startSenderFlow(context: FlowContext, definition: SenderFlowDefinition, options: ReferenceFlowOptions): Promise<RunningFlow> {
  const serviceUrl = `${context.endpoints.commerceUrl}/odata2webservices/${encodeURIComponent(definition.integrationObject)}`;
  let model: EdmModel;
  try {
    model = await fetchMetadata({ serviceUrl, credentials: context.commerceCredentials, timeoutMs: options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS });
  } catch (e) {
    throw new Error(`${definition.name}: cannot generate the sender endpoint from Commerce's metadata: ${(e as Error).message}`, { cause: e });
  }
  const credentials = { ...(options.inboundCredentials ?? DEFAULT_INBOUND_CREDENTIALS) };
  const log = new ProcessingLog(definition.name, context.now);
  const endpoint = await startODataSender({
    iflowId: definition.iflowId,
    entitySet: definition.entitySet,
    model,
    credentials,
    log,
    process: definition.process,
    ...(options.csrf !== undefined ? { csrf: options.csrf } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
  });
  return {
    inboundUrl: endpoint.entitySetUrl,
    ...(options.csrf === false ? {} : { csrfUrl: endpoint.serviceRoot }),
    inboundCredentials: { ...credentials },
    runs: () => log.runs(),
    close: () => endpoint.close(),
  };
}
