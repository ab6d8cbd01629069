/**
 * The Commerce-triggered variants without a SAP sample (spec §2, catalogue 1–3), built on the same
 * sender endpoint as SendOrders (generated from Commerce IO `Orders`, entity set `Orders`):
 *
 *   1 pass-through  no auth, no transformation: Commerce's JSON as received → POST {{Target_Url}}
 *   2 transform     no auth, order-summary-script.ts JSON → POST {{Target_Url}}
 *   3 basic-auth    as 2, with Basic {{Target_User}} / {{Target_Password}}
 *
 * The target's answer is attached to the message processing log ("Target answer"); Commerce gets the
 * sender adapter's 201 with the order's integrationKey (the entity type has no member for more). A
 * non-2xx or a timeout fails the message → 500 to Commerce.
 */
import type { FlowContext, FlowUnderTest, RunningFlow } from '../contract.js';
import { requestReply } from '../../scpi/http-receiver.js';
import type { Message } from '../../scpi/message.js';
import { REQUEST_JSON_PROPERTY } from '../../scpi/odata-sender.js';
import { resolveParameters, substituteParameters } from '../../scpi/parameters.js';
import type { MessageRun } from '../../scpi/processing-log.js';
import { evaluateSimple } from '../../scpi/simple-expression.js';
import { parseXml, textAtPath } from '../../scpi/xml.js';
import { checkOptions, type ReferenceFlowOptions } from './options.js';
import { summarizeOrder } from './order-summary-script.js';
import { startSenderFlow } from './sender-flow.js';

export interface OrderVariant {
  name: string;
  iflowId: string;
  transform: boolean;
  basicAuth: boolean;
}

const RESPONSE_BODY = '<Orders><Order><integrationKey>${property.integrationKey}</integrationKey></Order></Orders>';

export function orderVariantFlow(variant: OrderVariant): (rawOptions?: Record<string, unknown>) => FlowUnderTest {
  return (rawOptions) => {
    const options: ReferenceFlowOptions = checkOptions(variant.name, rawOptions);
    return {
      name: variant.name,
      async start(context: FlowContext): Promise<RunningFlow> {
        const parameters = resolveParameters({}, context.parameters, ['Target_Url', ...(variant.basicAuth ? ['Target_User', 'Target_Password'] : [])]);
        const targetUrl = substituteParameters('{{Target_Url}}', parameters);
        const credentials = variant.basicAuth
          ? { username: substituteParameters('{{Target_User}}', parameters), password: substituteParameters('{{Target_Password}}', parameters) }
          : undefined;

        const process = async (message: Message, run: MessageRun): Promise<void> => {
          await run.step('Save Payload', (step) => {
            message.setProperty('integrationKey', textAtPath(parseXml(message.body), '/Orders/Order/integrationKey') ?? '');
            message.setProperty('ReceivedPayload', message.body);
            step.detail = `integrationKey=${String(message.getProperty('integrationKey'))}`;
          });
          if (variant.transform) {
            await run.step('Map Order To Target JSON', (step) => {
              message.body = JSON.stringify(summarizeOrder(String(message.getProperty('ReceivedPayload'))));
              run.attach('Target order', 'application/json', message.body);
              step.detail = `${Buffer.byteLength(message.body).toString()} bytes of order JSON`;
            });
          } else {
            message.body = String(message.getProperty(REQUEST_JSON_PROPERTY) ?? '');
          }
          if (credentials) {
            await run.step('Retrieve Credentials', (step) => {
              step.detail = `Basic user ${credentials.username}`;
            });
          }
          await run.step(variant.transform ? 'Send Order To Target' : 'Send Payload To Target', async (step) => {
            message.setHeader('Content-Type', 'application/json');
            step.detail = await requestReply(message, {
              method: 'POST',
              url: targetUrl,
              ...(credentials ? { credentials } : {}),
              ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
            });
            run.attach('Target answer', 'application/json', message.body);
          });
          await run.step('Prepare Response Body', (step) => {
            message.body = evaluateSimple(RESPONSE_BODY, message);
            step.detail = message.body;
          });
        };
        return startSenderFlow(context, { name: variant.name, iflowId: variant.iflowId, integrationObject: 'Orders', entitySet: 'Orders', process }, options);
      },
    };
  };
}
