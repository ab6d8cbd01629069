/**
 * What the OData V2 sender adapter hands the flow: the POSTed JSON entity (Commerce's outbound format,
 * spec §11.3 — plain JSON, nested objects, arrays for to-many, `integrationKey` members, dates as
 * `/Date(ms)/`) as XML in SCPI's convention (spec §3.1):
 *
 *   <EntitySet><EntityType>…properties…<navProp><TargetType>…</TargetType></navProp></EntityType></EntitySet>
 *
 * - Element names come from the EDMX the endpoint was generated from: the entity set names the root,
 *   its entity type the entry, and a navigation property's target type the element inside it; a
 *   to-many navigation repeats that element once per entry.
 * - Properties are written in EDMX order, then navigations in EDMX order (a generated adapter walks the
 *   entity type, not the JSON). Members the JSON leaves out are left out.
 * - Values by EDM type: `Edm.DateTime` as `yyyy-MM-ddTHH:mm:ss.SSS` in UTC; `Edm.Double` / `Edm.Single`
 *   JSON numbers as Java's `Double.toString` / `Float.toString` (`5` → `5.0`, the Java runtime's text);
 *   numbers sent as strings (Commerce's Long/BigDecimal) keep their text; booleans `true`/`false`.
 *   `null` → `<name xsi:nil="true"/>`.
 * - `localizedAttributes` (Commerce's per-language values) and `__metadata` are skipped: the flow sees
 *   the session-language value only.
 * - A member the entity type does not declare, or a value of the wrong shape, is a client error
 *   ({@link ODataInputError}, answered 400), as Olingo refuses such entries.
 */
import { type EdmEntityType, type EdmModel, type EdmProperty, entityType, entityTypeOfSet } from './edmx.js';
import { javaDoubleToString, javaFloatToString } from './java-format.js';
import { escapeXml } from './xml.js';

const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
/** Members Commerce's outbound JSON carries that are not entity data for the flow. */
const SKIPPED_MEMBERS = new Set(['localizedAttributes', '__metadata']);

/** A request the sender adapter refuses (400). */
export class ODataInputError extends Error {
  readonly status = 400;
  constructor(message: string) {
    super(message);
    this.name = 'ODataInputError';
  }
}

/**
 * The flow XML of a POSTed entity of `entitySet`. A verbose `{"d": {…}}` wrapper is accepted too.
 * @throws ODataInputError for a payload that does not fit the entity type.
 */
export function odataJsonToXml(payload: unknown, model: EdmModel, entitySet: string): string {
  const type = entityTypeOfSet(model, entitySet);
  const entity = unwrap(payload);
  return `<${entitySet}><${type.name}>${entry(entity, type, model, type.name)}</${type.name}></${entitySet}>`;
}

function unwrap(payload: unknown): Record<string, unknown> {
  if (!isObject(payload)) throw new ODataInputError('the request body must be a JSON object (one entity)');
  const keys = Object.keys(payload);
  if (keys.length === 1 && keys[0] === 'd' && isObject(payload.d)) return payload.d;
  return payload;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function entry(entity: Record<string, unknown>, type: EdmEntityType, model: EdmModel, path: string): string {
  for (const member of Object.keys(entity)) {
    if (SKIPPED_MEMBERS.has(member)) continue;
    if (!type.properties.some((p) => p.name === member) && !type.navigations.some((n) => n.name === member)) {
      throw new ODataInputError(`${path}: the property '${member}' is not defined in entity type ${model.namespace}.${type.name}`);
    }
  }
  let xml = '';
  for (const property of type.properties) {
    if (!Object.prototype.hasOwnProperty.call(entity, property.name)) continue;
    const value = entity[property.name];
    xml += value === null ? nil(property.name) : `<${property.name}>${escapeXml(primitiveText(value, property, `${path}/${property.name}`))}</${property.name}>`;
  }
  for (const navigation of type.navigations) {
    if (SKIPPED_MEMBERS.has(navigation.name) || !Object.prototype.hasOwnProperty.call(entity, navigation.name)) continue;
    const value = entity[navigation.name];
    const target = entityType(model, navigation.toType);
    const where = `${path}/${navigation.name}`;
    if (value === null) {
      xml += nil(navigation.name);
    } else if (navigation.many) {
      const items = Array.isArray(value) ? value : isObject(value) && Array.isArray(value.results) ? value.results : undefined;
      if (!items) throw new ODataInputError(`${where}: a to-many navigation property needs a JSON array`);
      const inner = items.map((item, i) => {
        if (!isObject(item)) throw new ODataInputError(`${where}[${i.toString()}]: an entry must be a JSON object`);
        return `<${target.name}>${entry(item, target, model, `${where}[${i.toString()}]`)}</${target.name}>`;
      });
      xml += `<${navigation.name}>${inner.join('')}</${navigation.name}>`;
    } else {
      if (!isObject(value)) throw new ODataInputError(`${where}: a to-one navigation property needs a JSON object`);
      xml += `<${navigation.name}><${target.name}>${entry(value, target, model, where)}</${target.name}></${navigation.name}>`;
    }
  }
  return xml;
}

function nil(name: string): string {
  return `<${name} xmlns:xsi="${XSI_NS}" xsi:nil="true"/>`;
}

const DATE_LITERAL = /^\/Date\((-?\d+)(?:[+-]\d{1,4})?\)\/$/;
const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?$/;

/** The XML text of a primitive JSON value for its EDM type. */
export function primitiveText(value: unknown, property: EdmProperty, where: string): string {
  if (typeof value === 'object' && value !== null) throw new ODataInputError(`${where}: ${property.type} needs a primitive value, not ${Array.isArray(value) ? 'an array' : 'an object'}`);
  switch (property.type) {
    case 'Edm.DateTime':
      return dateTimeText(value, where);
    case 'Edm.Double':
      return typeof value === 'number' ? javaDoubleToString(value) : String(value);
    case 'Edm.Single':
      return typeof value === 'number' ? javaFloatToString(value) : String(value);
    default:
      return String(value);
  }
}

/** `/Date(ms)/` (or an ISO local date-time) → `yyyy-MM-ddTHH:mm:ss.SSS`, UTC. */
function dateTimeText(value: unknown, where: string): string {
  if (typeof value === 'string') {
    const literal = DATE_LITERAL.exec(value);
    if (literal) return formatUtc(Number(literal[1]), where);
    const iso = ISO_LOCAL.exec(value);
    if (iso) {
      const [, y, mo, d, h, mi, s = '00', ms = '0'] = iso;
      return `${y!}-${mo!}-${d!}T${h!}:${mi!}:${s}.${ms.padEnd(3, '0')}`;
    }
  }
  if (typeof value === 'number') return formatUtc(value, where);
  throw new ODataInputError(`${where}: ${JSON.stringify(value)} is not an Edm.DateTime value (expected "/Date(<epoch ms>)/")`);
}

function formatUtc(ms: number, where: string): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) throw new ODataInputError(`${where}: ${ms.toString()} is out of the Edm.DateTime range`);
  return date.toISOString().slice(0, 23);
}
