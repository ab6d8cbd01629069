/**
 * Numbers as the Java runtime under SCPI writes them. The sender adapter turns Commerce's JSON numbers
 * into XML text with `Double.toString` / `Float.toString`, so a price `5` (JSON has no `5.0`) reaches the
 * flow's scripts as `5.0` — which the SendOrders sample then forwards as the price text (spec §3.2).
 */

import { javaDoubleToString } from '../../mock-commerce/integration-objects/integration-key.js';

/** Java's `Double.toString` (the one Commerce's integrationKey values use too). */
export { javaDoubleToString };

/** Java's `Float.toString`: the shortest digits that read back as the same float, formatted like a double. */
export function javaFloatToString(n: number): string {
  const f = Math.fround(n);
  if (!Number.isFinite(f) || f === 0) return javaDoubleToString(f);
  for (let precision = 1; precision <= 9; precision++) {
    const candidate = Number(f.toPrecision(precision));
    if (Math.fround(candidate) === f) return javaDoubleToString(candidate);
  }
  return javaDoubleToString(f);
}
