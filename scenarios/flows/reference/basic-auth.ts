/** Variant 3 (Basic authentication, with data transformation): as `transform`, sent with Basic `{{Target_User}}` / `{{Target_Password}}`. */
import { orderVariantFlow } from './order-variant.js';

export const basicAuth = orderVariantFlow({ name: 'reference:basic-auth', iflowId: 'OrdersBasicAuth', transform: true, basicAuth: true });
