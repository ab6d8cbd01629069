/**
 * SendOrders (spec §3): Commerce → OData V2 sender → OAuth token → mapping script → third party, step
 * for step as the SAP sample iFlow "ThirdPartyOrderExport" does it (variant 4 of the catalogue: OAuth
 * with data transformation).
 *
 *   sender    POST /gw/odata/SAP/THIRDPARTYORDEREXPORT;v=1/Orders (generated from Commerce IO `Orders`)
 *   1 Save Payload                  properties storefrontUrl, integrationKey (XPath), ReceivedPayload
 *   2 Retrieve Access Token         POST {ThirdParty_Base_Url}/oauth/token, JSON client credentials
 *   3 Map XML Payload to JSON       send-orders-script.ts
 *   4 Send Order To ThirdParty      POST {ThirdParty_Base_Url}/{{ThirdParty_App_Key}}/orders (body never inspected)
 *   5 Prepare Response Body         <Orders><Order><integrationKey>${property.integrationKey}</integrationKey></Order></Orders>
 *
 * Parameters: `Commerce_Storefront_Url` (default: the Commerce URL), `ThirdParty_App_Key` /
 * `ThirdParty_App_Secret` (default: the built-in reviews profile's), `ThirdParty_Base_Url` (the sample
 * hard-codes the anonymised `https://api.thirdparty.com`; default: the sandbox's `reviews` third party).
 * Option `fixed` changes only the mapping script (see there). A failing step fails the message; the
 * sender endpoint returns the error to Commerce as 500 ("return exception to sender").
 */
import { REVIEWS_DEFAULTS } from '../../../mock-third-party/profiles/index.js';
import type { FlowContext, FlowUnderTest, RunningFlow } from '../contract.js';
import { requestReply } from '../../scpi/http-receiver.js';
import type { Message } from '../../scpi/message.js';
import { resolveParameters, substituteParameters } from '../../scpi/parameters.js';
import type { MessageRun } from '../../scpi/processing-log.js';
import { evaluateSimple } from '../../scpi/simple-expression.js';
import { parseXml, textAtPath } from '../../scpi/xml.js';
import { checkOptions, type ReferenceFlowOptions } from './options.js';
import { mapOrderToThirdPartyJson } from './send-orders-script.js';
import { startSenderFlow } from './sender-flow.js';

export const SEND_ORDERS_IFLOW_ID = 'ThirdPartyOrderExport';

const TOKEN_REQUEST = '{ "client_id": "{{ThirdParty_App_Key}}", "client_secret": "{{ThirdParty_App_Secret}}", "grant_type": "client_credentials" }';
const RESPONSE_BODY = '<Orders><Order><integrationKey>${property.integrationKey}</integrationKey></Order></Orders>';
const JSON_UTF8 = 'application/json; charset=utf-8';

/** The parameters SendOrders deploys with: defaults for the sandbox, overridden by the context's. */
export function sendOrdersParameters(context: FlowContext): Record<string, string> {
  return resolveParameters(
    {
      Commerce_Storefront_Url: context.endpoints.commerceUrl,
      ThirdParty_App_Key: REVIEWS_DEFAULTS.appKey,
      ThirdParty_App_Secret: REVIEWS_DEFAULTS.appSecret,
      ...(context.endpoints.thirdParties.reviews !== undefined ? { ThirdParty_Base_Url: context.endpoints.thirdParties.reviews } : {}),
    },
    context.parameters,
    ['ThirdParty_Base_Url'],
  );
}

export function sendOrders(rawOptions?: Record<string, unknown>): FlowUnderTest {
  const name = 'reference:send-orders';
  const options: ReferenceFlowOptions = checkOptions(name, rawOptions);
  return {
    name,
    async start(context: FlowContext): Promise<RunningFlow> {
      const parameters = sendOrdersParameters(context);
      // Deploy time: {{…}} in the configuration is replaced once.
      const base = parameters.ThirdParty_Base_Url!.replace(/\/+$/, '');
      const tokenUrl = `${base}/oauth/token`;
      const ordersUrl = substituteParameters(`${base}/{{ThirdParty_App_Key}}/orders`, parameters);
      const tokenRequest = substituteParameters(TOKEN_REQUEST, parameters);
      const storefrontUrl = substituteParameters('{{Commerce_Storefront_Url}}', parameters);
      const timeoutMs = options.timeoutMs;

      const process = async (message: Message, run: MessageRun): Promise<void> => {
        await run.step('Save Payload', (step) => {
          message.setProperty('storefrontUrl', storefrontUrl);
          message.setProperty('integrationKey', textAtPath(parseXml(message.body), '/Orders/Order/integrationKey') ?? '');
          message.setProperty('ReceivedPayload', message.body);
          step.detail = `integrationKey=${String(message.getProperty('integrationKey'))}`;
        });
        await run.step('Retrieve Access Token', async (step) => {
          message.setHeader('Content-Type', JSON_UTF8);
          message.body = tokenRequest;
          step.detail = await requestReply(message, { method: 'POST', url: tokenUrl, ...(timeoutMs ? { timeoutMs } : {}) });
        });
        await run.step('Map XML Payload to JSON', (step) => {
          message.body = mapOrderToThirdPartyJson(
            { orderXml: String(message.getProperty('ReceivedPayload')), tokenResponse: message.body, storefrontUrl: String(message.getProperty('storefrontUrl')) },
            { fixed: options.fixed ?? false },
          );
          message.setHeader('Content-Type', JSON_UTF8);
          run.attach('ThirdParty order', 'application/json', message.body);
          step.detail = `${Buffer.byteLength(message.body).toString()} bytes of order JSON`;
        });
        await run.step('Send Order To ThirdParty', async (step) => {
          step.detail = await requestReply(message, { method: 'POST', url: ordersUrl, ...(timeoutMs ? { timeoutMs } : {}) });
        });
        await run.step('Prepare Response Body', (step) => {
          message.body = evaluateSimple(RESPONSE_BODY, message);
          step.detail = message.body;
        });
      };
      return startSenderFlow(context, { name, iflowId: SEND_ORDERS_IFLOW_ID, integrationObject: 'Orders', entitySet: 'Orders', process }, options);
    },
  };
}
