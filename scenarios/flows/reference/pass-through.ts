/** Variant 1 (no authorization, no data transformation): Commerce's order JSON forwarded unchanged to `{{Target_Url}}`. */
import { orderVariantFlow } from './order-variant.js';

export const passThrough = orderVariantFlow({ name: 'reference:pass-through', iflowId: 'OrdersPassThrough', transform: false, basicAuth: false });
