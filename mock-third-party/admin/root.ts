/** The admin API's root path: no route of a definition may live under it. */
export const ADMIN_ROOT = '/__sandbox';
