/**
 * SendProductRatings (spec §4): timer → third party's bottom lines, page by page → one OData V2 Create
 * per product into Commerce's `ThirdPartyInboundProduct` service, as the SAP sample iFlow does it
 * (scenario 5: collecting data from a service).
 *
 *   Set Initial Properties                 catalogId, page "0", isAllProductsRetrieved "0" (strings)
 *   do (max 99 999) — "Retrieve Product Ratings From ThirdParty"
 *     Compute Page And Date                page = page + 1, since_date = yesterday (UTC)
 *     Retrieve Product Ratings             GET {base}/v1/apps/{{ThirdParty_App_Key}}/bottom_lines?count=100&page=<n>&since_date=<d>
 *     Check Product Ratings                numberOfProducts; none → isAllProductsRetrieved "1"
 *     while index < numberOfProducts (max 100) — "Import Product Rating To SAP Commerce"
 *       Build Product Rating XML           the §4.3 XML of bottomlines[index]
 *       Import Product Rating To SAP Commerce   OData V2 receiver: Create on Products (Atom, CSRF)
 *   until isAllProductsRetrieved != '0'
 *
 * Any failure ends the run FAILED; products imported before stay imported (no retry, no rollback).
 * The `$metadata` read is cached for an hour across runs of the deployed flow.
 *
 * Parameters: `Product_Catalog_Id` (default `sandboxProductCatalog`), `ThirdParty_App_Key` (default: the
 * reviews profile's), `ThirdParty_Base_Url` (default: the sandbox's `reviews` third party),
 * `Commerce_ThirdPartyInboundProduct_Endpoint` (default `{commerceUrl}/odata2webservices/ThirdPartyInboundProduct`),
 * `Commerce_Credential_Name` (default and only deployed credential: `commerce-credentials`).
 *
 * Option `fixed`: the site-wide pseudo product `yotpo_site_reviews` is not imported (the sample creates
 * a product of that code in the catalog), and elements Commerce's metadata does not declare are left out
 * of the Atom entry instead of failing the call (the sample's packaged EDMX and its message disagree on
 * the rating's name, spec §4.3).
 */
import { REVIEWS_DEFAULTS } from '../../../mock-third-party/profiles/index.js';
import type { FlowContext, FlowUnderTest, RunningFlow } from '../contract.js';
import { requestReply } from '../../scpi/http-receiver.js';
import type { Message } from '../../scpi/message.js';
import { odataCreate } from '../../scpi/odata-receiver.js';
import { resolveParameters, substituteParameters } from '../../scpi/parameters.js';
import { type MessageRun, ProcessingLog } from '../../scpi/processing-log.js';
import { MetadataCache } from '../../scpi/service-metadata.js';
import { TimerStart } from '../../scpi/timer.js';
import { checkOptions, type ReferenceFlowOptions } from './options.js';
import { SITE_REVIEWS_KEY, bottomLineAt, checkProductRatingsPage, nextPage, productRatingXml, sinceDate } from './send-product-ratings-script.js';

/** Maximum iterations of the page loop and of the import loop (the sample's settings). */
export const MAX_PAGE_ITERATIONS = 99_999;
export const MAX_IMPORT_ITERATIONS = 100;
export const COMMERCE_CREDENTIAL_NAME = 'commerce-credentials';

export function sendProductRatingsParameters(context: FlowContext): Record<string, string> {
  return resolveParameters(
    {
      Product_Catalog_Id: 'sandboxProductCatalog',
      ThirdParty_App_Key: REVIEWS_DEFAULTS.appKey,
      Commerce_ThirdPartyInboundProduct_Endpoint: `${context.endpoints.commerceUrl}/odata2webservices/ThirdPartyInboundProduct`,
      Commerce_Credential_Name: COMMERCE_CREDENTIAL_NAME,
      ...(context.endpoints.thirdParties.reviews !== undefined ? { ThirdParty_Base_Url: context.endpoints.thirdParties.reviews } : {}),
    },
    context.parameters,
    ['ThirdParty_Base_Url'],
  );
}

export function sendProductRatings(rawOptions?: Record<string, unknown>): FlowUnderTest {
  const name = 'reference:send-product-ratings';
  const options: ReferenceFlowOptions = checkOptions(name, rawOptions);
  return {
    name,
    start(context: FlowContext): Promise<RunningFlow> {
      const parameters = sendProductRatingsParameters(context);
      if (parameters.Commerce_Credential_Name !== COMMERCE_CREDENTIAL_NAME) {
        throw new Error(`${name}: credential '${parameters.Commerce_Credential_Name ?? ''}' is not deployed (the sandbox deploys '${COMMERCE_CREDENTIAL_NAME}' from the flow context)`);
      }
      const base = parameters.ThirdParty_Base_Url!.replace(/\/+$/, '');
      const bottomLinesUrl = substituteParameters(`${base}/v1/apps/{{ThirdParty_App_Key}}/bottom_lines`, parameters);
      const catalogId = substituteParameters('{{Product_Catalog_Id}}', parameters);
      const address = substituteParameters('{{Commerce_ThirdPartyInboundProduct_Endpoint}}', parameters);
      const fixed = options.fixed ?? false;
      const timeout = options.timeoutMs ? { timeoutMs: options.timeoutMs } : {};
      const metadata = new MetadataCache(context.now);

      const importProducts = async (message: Message, run: MessageRun): Promise<void> => {
        for (let iteration = 1; Number(message.getProperty('commerceImportLoopIndex')) < Number(message.getProperty('numberOfProducts')); iteration++) {
          if (iteration > MAX_IMPORT_ITERATIONS) throw new Error(`looping process call "Import Product Rating To SAP Commerce": more than ${MAX_IMPORT_ITERATIONS.toString()} iterations`);
          const skip = await run.step('Build Product Rating XML', (step) => {
            const index = Number(message.getProperty('commerceImportLoopIndex'));
            const line = bottomLineAt(String(message.getProperty('products')), index);
            message.setProperty('commerceImportLoopIndex', index + 1);
            if (fixed && line.domain_key === SITE_REVIEWS_KEY) {
              step.detail = `${line.domain_key}: site-wide score, not imported (fixed)`;
              return true;
            }
            message.body = productRatingXml(line, String(message.getProperty('catalogId')));
            step.detail = `${line.domain_key}: reviewRating ${line.product_score}, reviewCount ${line.total_reviews}`;
            return false;
          });
          if (skip) continue;
          await run.step('Import Product Rating To SAP Commerce', async (step) => {
            step.detail = await odataCreate(message, {
              address,
              entitySet: 'Products',
              credentials: context.commerceCredentials,
              metadata,
              dropUndeclared: fixed,
              ...timeout,
            });
          });
        }
      };

      const process = async (message: Message, run: MessageRun): Promise<void> => {
        await run.step('Set Initial Properties', (step) => {
          message.setProperty('catalogId', catalogId);
          message.setProperty('page', '0');
          message.setProperty('isAllProductsRetrieved', '0');
          step.detail = `catalogId=${catalogId}`;
        });
        let iteration = 0;
        // Do-until: the body runs before the condition is first checked.
        do {
          iteration += 1;
          if (iteration > MAX_PAGE_ITERATIONS) throw new Error(`looping process call "Retrieve Product Ratings From ThirdParty": more than ${MAX_PAGE_ITERATIONS.toString()} iterations`);
          await run.step('Compute Page And Date', (step) => {
            message.setProperty('page', nextPage(message.getProperty('page')));
            message.setProperty('since_date', sinceDate(context.now()));
            step.detail = `page=${String(message.getProperty('page'))} since_date=${String(message.getProperty('since_date'))}`;
          });
          await run.step('Retrieve Product Ratings', async (step) => {
            const query = `count=100&page=${String(message.getProperty('page'))}&since_date=${String(message.getProperty('since_date'))}`;
            message.body = '';
            step.detail = await requestReply(message, { method: 'GET', url: `${bottomLinesUrl}?${query}`, ...timeout });
          });
          await run.step('Check Product Ratings', (step) => {
            const page = checkProductRatingsPage(message.body);
            message.setProperty('numberOfProducts', page.numberOfProducts);
            if (page.numberOfProducts === 0) {
              message.setProperty('isAllProductsRetrieved', '1');
            } else {
              message.setProperty('commerceImportLoopIndex', 0);
              message.setProperty('products', page.products);
            }
            step.detail = `${page.numberOfProducts.toString()} product${page.numberOfProducts === 1 ? '' : 's'}`;
          });
          // Router: import only while products are left on this page.
          if (message.getProperty('isAllProductsRetrieved') === '0') await importProducts(message, run);
        } while (String(message.getProperty('isAllProductsRetrieved')) === '0');
      };

      const log = new ProcessingLog(name, context.now);
      const timer = new TimerStart(log, process);
      return Promise.resolve({
        trigger: () => timer.trigger(),
        runs: () => log.runs(),
        // Stopping waits for a run in progress, so nothing calls out after close.
        close: () => timer.settled(),
      });
    },
  };
}
