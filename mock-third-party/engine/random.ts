/**
 * Seeded randomness. Every stream of generated data has its own Faker, seeded from the definition's
 * seed and the stream's name (a collection, a route and its call number, a token endpoint), so adding
 * a route or a collection never changes the data of the others, and the same seed gives the same bytes.
 */
import type { Faker } from '@faker-js/faker';
import { fakerModule } from '../../mock-commerce/util/faker.js';
import type { TemplateRuntime } from './templates.js';

/** Faker's dates (`faker.date.recent()`, …) count from here, not from the wall clock. */
export const FAKER_REFERENCE_DATE = '2025-01-01T00:00:00.000Z';

/** FNV-1a, 32 bits. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function seededFaker(seed: number, stream: string, n = 0): Faker {
  const { Faker, en } = fakerModule();
  const faker = new Faker({ locale: [en] });
  // The seed's two 32-bit halves (Faker seeds 32-bit words), then the stream.
  faker.seed([seed >>> 0, Math.floor(seed / 0x100000000) >>> 0, hash32(stream), n >>> 0]);
  faker.setDefaultRefDate(FAKER_REFERENCE_DATE);
  return faker;
}

/** A template runtime whose Faker is created (and seeded) on first use. */
export function runtime(seed: number, stream: string, n: number, now: () => number): TemplateRuntime {
  let faker: Faker | undefined;
  return {
    faker: () => (faker ??= seededFaker(seed, stream, n)),
    now,
  };
}
