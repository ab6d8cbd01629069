/**
 * Numbers as the Java runtime under SCPI writes them. The sender adapter turns Commerce's JSON numbers
 * into XML text with `Double.toString` / `Float.toString`, so a price `5` (JSON has no `5.0`) reaches the
 * flow's scripts as `5.0` — which the SendOrders sample then forwards as the price text (spec §3.2).
 */

/** Java's `Double.toString`: shortest round-trip digits; plain notation for 10⁻³ ≤ |n| < 10⁷ with at least one fraction digit (`5.0`), else `1.0E7` / `1.234E-4`. */
export function javaDoubleToString(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) {
    // JS switches to exponent notation only below 1e-6 or from 1e21, so this range prints plainly.
    const s = String(n);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = n.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent).toString()}`;
}

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
