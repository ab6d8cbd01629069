/**
 * The message a flow works on (SCPI / Apache Camel exchange): one body, headers and properties.
 *
 * - The body is text: every step here reads and writes strings (XML or JSON).
 * - Headers travel with the message: HTTP receivers send them as HTTP headers (spec §6). Names are
 *   case-insensitive, as in Camel; the spelling of the last `setHeader` is kept.
 * - Properties stay inside the flow and keep their type: the sample scripts rely on the string `"0"`
 *   differing from the number `0` (spec §6, §4.1), so nothing is converted on the way in or out.
 */
export class Message {
  body: string;
  private readonly headerMap = new Map<string, { name: string; value: string }>();
  private readonly propertyMap = new Map<string, unknown>();

  constructor(body = '', headers: Record<string, string> = {}) {
    this.body = body;
    for (const [name, value] of Object.entries(headers)) this.setHeader(name, value);
  }

  getHeader(name: string): string | undefined {
    return this.headerMap.get(name.toLowerCase())?.value;
  }

  setHeader(name: string, value: string): void {
    this.headerMap.set(name.toLowerCase(), { name, value });
  }

  removeHeader(name: string): void {
    this.headerMap.delete(name.toLowerCase());
  }

  /** All headers, in the spelling they were last set with. */
  headers(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { name, value } of this.headerMap.values()) out[name] = value;
    return out;
  }

  /** The property as it was set (a string stays a string, a number a number), or undefined. */
  getProperty(name: string): unknown {
    return this.propertyMap.get(name);
  }

  setProperty(name: string, value: unknown): void {
    this.propertyMap.set(name, value);
  }

  properties(): Record<string, unknown> {
    return Object.fromEntries(this.propertyMap);
  }
}
