/** Generated test inputs use the project's seeded PRNG, so that inputs and failures reproduce. */
export { seededRandom } from '../../mock-commerce/util/random.js';
