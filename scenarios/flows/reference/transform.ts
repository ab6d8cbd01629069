/** Variant 2 (no authorization, with data transformation): the order summary JSON (order-summary-script.ts) to `{{Target_Url}}`. */
import { orderVariantFlow } from './order-variant.js';

export const transform = orderVariantFlow({ name: 'reference:transform', iflowId: 'OrdersTransform', transform: true, basicAuth: false });
