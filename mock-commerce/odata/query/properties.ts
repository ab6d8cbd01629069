/**
 * Resolution of a property path (`code`, `catalogVersion/version`, `catalogVersion/integrationKey`) against
 * the entity types an integration object exposes, with Olingo's errors for names the EDM does not have.
 * Every segment is checked, however deep the path: whether a nesting depth is *supported* is Commerce's
 * decision, taken later (spec §5.4, §5.5).
 */
import type { EdmPrimitive, IntegrationObjectModel, IoAttribute, IoItem } from '../../integration-objects/model.js';
import { itemByCode } from '../../integration-objects/model.js';
import type { OperandType } from './edm-values.js';
import { olingoErrors } from './messages.js';

export interface PathSegment {
  name: string;
  /** 0-based position in the expression text. */
  position: number;
}

export type PathStep =
  | { kind: 'primitive'; attribute: IoAttribute; edmType: EdmPrimitive }
  | { kind: 'integrationKey' }
  | { kind: 'navigation'; attribute: IoAttribute; target: IoItem };

export interface ResolvedPath {
  steps: PathStep[];
  /** The path as Olingo prints a member expression: segment names joined by `/`. */
  text: string;
  /** 0-based position of the first segment. */
  position: number;
  /** EDM type of the last step: `Edm.String`, … or `HybrisCommerceOData.{Item}` for a navigation. */
  type: OperandType;
}

export function entityTypeName(item: IoItem): string {
  return `HybrisCommerceOData.${item.code}`;
}

/** Resolves `segments` from `item`; throws Olingo's 400 for unknown names and for collections. */
export function resolvePath(io: IntegrationObjectModel, item: IoItem, segments: readonly PathSegment[], expression: string): ResolvedPath {
  const steps: PathStep[] = [];
  let current: IoItem | EdmPrimitive = item;
  for (const segment of segments) {
    const position = segment.position + 1;
    if (typeof current === 'string') throw olingoErrors.propertyNotFound(segment.name, current, position, expression);
    const step = resolveStep(io, current, segment.name);
    if (step === 'collection') throw olingoErrors.collection(segment.name, position, expression);
    if (!step) throw olingoErrors.propertyNotFound(segment.name, entityTypeName(current), position, expression);
    steps.push(step);
    current = step.kind === 'navigation' ? step.target : step.kind === 'primitive' ? step.edmType : 'Edm.String';
  }
  return {
    steps,
    text: segments.map((s) => s.name).join('/'),
    position: segments[0]?.position ?? 0,
    type: typeof current === 'string' ? current : entityTypeName(current),
  };
}

/** One property of an entity type: a step, `'collection'` for a to-many property, undefined if unknown. */
function resolveStep(io: IntegrationObjectModel, item: IoItem, name: string): PathStep | 'collection' | undefined {
  if (name === 'integrationKey') return { kind: 'integrationKey' };
  const attribute = item.attributes.find((a) => a.name === name);
  if (!attribute) {
    // The synthetic to-many navigation to Localized___{Item} (spec §3.4).
    const localized = name === 'localizedAttributes' && item.attributes.some((a) => a.localized && a.kind === 'primitive');
    return localized ? 'collection' : undefined;
  }
  switch (attribute.kind) {
    case 'primitive':
      return attribute.edmType ? { kind: 'primitive', attribute, edmType: attribute.edmType } : undefined;
    case 'navigation': {
      const target = attribute.returnItem ? itemByCode(io, attribute.returnItem) : undefined;
      if (!target) return undefined;
      return attribute.collection ? 'collection' : { kind: 'navigation', attribute, target };
    }
    case 'primitiveCollection':
    case 'map':
      return 'collection';
  }
}
