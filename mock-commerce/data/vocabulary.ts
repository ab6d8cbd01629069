/**
 * Bilingual (en/de) word lists for generated catalog data. Faker has no German commerce vocabulary (its
 * `de` locale falls back to English product names), and independent random names per language would not
 * be translations of each other; these pairs are, so `name.en` and `name.de` describe the same product.
 */

export interface Bilingual {
  readonly en: string;
  readonly de: string;
}

export type UnitCode = 'pieces' | 'kg';

export interface Noun extends Bilingual {
  /** The unit the product is sold in. */
  readonly unit: UnitCode;
  /** Typical price range in USD. */
  readonly price: readonly [number, number];
}

export interface CategorySpec {
  readonly name: Bilingual;
  readonly description: Bilingual;
  /** Index of the parent in {@link CATEGORIES}; roots have none. */
  readonly parent?: number;
  /** Products of leaf categories are made of these nouns; non-leaf categories hold no products. */
  readonly nouns: readonly Noun[];
}

const piece = (en: string, de: string, min: number, max: number): Noun => ({ en, de, unit: 'pieces', price: [min, max] });
const perKg = (en: string, de: string, min: number, max: number): Noun => ({ en, de, unit: 'kg', price: [min, max] });

/** The category tree, parents before children; its size is fixed (it does not grow with the scale). */
export const CATEGORIES: readonly CategorySpec[] = [
  { name: { en: 'Electronics', de: 'Elektronik' }, description: { en: 'Cameras, audio and computers', de: 'Kameras, Audio und Computer' }, nouns: [] },
  {
    name: { en: 'Cameras', de: 'Kameras' },
    description: { en: 'Cameras and photo accessories', de: 'Kameras und Fotozubehör' },
    parent: 0,
    nouns: [piece('camera', 'Kamera', 150, 2500), piece('lens', 'Objektiv', 90, 1800), piece('tripod', 'Stativ', 25, 400), piece('camera bag', 'Kameratasche', 20, 180), piece('flash', 'Blitzgerät', 40, 450)],
  },
  {
    name: { en: 'Audio', de: 'Audio' },
    description: { en: 'Headphones, speakers and more', de: 'Kopfhörer, Lautsprecher und mehr' },
    parent: 0,
    nouns: [piece('headphones', 'Kopfhörer', 20, 450), piece('speaker', 'Lautsprecher', 30, 900), piece('microphone', 'Mikrofon', 25, 350), piece('amplifier', 'Verstärker', 80, 1500), piece('turntable', 'Plattenspieler', 90, 1200)],
  },
  {
    name: { en: 'Computers', de: 'Computer' },
    description: { en: 'Computers and peripherals', de: 'Computer und Zubehör' },
    parent: 0,
    nouns: [piece('laptop', 'Laptop', 350, 2800), piece('keyboard', 'Tastatur', 15, 220), piece('mouse', 'Maus', 10, 140), piece('monitor', 'Monitor', 110, 1400), piece('webcam', 'Webcam', 25, 200)],
  },
  { name: { en: 'Home & Garden', de: 'Haus & Garten' }, description: { en: 'Everything for home and garden', de: 'Alles für Haus und Garten' }, nouns: [] },
  {
    name: { en: 'Kitchen', de: 'Küche' },
    description: { en: 'Cookware, appliances and groceries', de: 'Kochgeschirr, Geräte und Lebensmittel' },
    parent: 4,
    nouns: [piece('kettle', 'Wasserkocher', 20, 150), piece('frying pan', 'Bratpfanne', 15, 160), piece('knife set', 'Messerset', 30, 400), piece('toaster', 'Toaster', 20, 180), perKg('coffee beans', 'Kaffeebohnen', 12, 60), perKg('loose-leaf tea', 'Loser Tee', 15, 90)],
  },
  {
    name: { en: 'Furniture', de: 'Möbel' },
    description: { en: 'Furniture and lighting', de: 'Möbel und Beleuchtung' },
    parent: 4,
    nouns: [piece('chair', 'Stuhl', 40, 600), piece('table', 'Tisch', 90, 1500), piece('shelf', 'Regal', 40, 700), piece('lamp', 'Lampe', 20, 350), piece('sofa', 'Sofa', 300, 3000)],
  },
  {
    name: { en: 'Garden', de: 'Garten' },
    description: { en: 'Garden tools and supplies', de: 'Gartengeräte und -bedarf' },
    parent: 4,
    nouns: [piece('watering can', 'Gießkanne', 8, 60), piece('garden hose', 'Gartenschlauch', 15, 120), piece('lawn mower', 'Rasenmäher', 150, 1800), piece('hedge trimmer', 'Heckenschere', 40, 400), perKg('potting soil', 'Blumenerde', 1, 5), perKg('grass seed', 'Rasensamen', 6, 25)],
  },
  { name: { en: 'Sports', de: 'Sport' }, description: { en: 'Sports and leisure', de: 'Sport und Freizeit' }, nouns: [] },
  {
    name: { en: 'Outdoor', de: 'Outdoor' },
    description: { en: 'Camping and hiking equipment', de: 'Camping- und Wanderausrüstung' },
    parent: 8,
    nouns: [piece('tent', 'Zelt', 60, 900), piece('backpack', 'Rucksack', 30, 350), piece('sleeping bag', 'Schlafsack', 35, 500), piece('hiking pole', 'Wanderstock', 15, 160), piece('camping stove', 'Campingkocher', 25, 250)],
  },
];

/** Adjectives as used predicatively in German (uninflected), so they fit every noun. */
export const ADJECTIVES: readonly Bilingual[] = [
  { en: 'compact', de: 'kompakt' },
  { en: 'durable', de: 'robust' },
  { en: 'lightweight', de: 'leicht' },
  { en: 'ergonomic', de: 'ergonomisch' },
  { en: 'elegant', de: 'elegant' },
  { en: 'practical', de: 'praktisch' },
  { en: 'quiet', de: 'leise' },
  { en: 'waterproof', de: 'wasserdicht' },
  { en: 'modern', de: 'modern' },
  { en: 'classic', de: 'klassisch' },
  { en: 'foldable', de: 'faltbar' },
  { en: 'premium', de: 'hochwertig' },
];

export const MATERIALS: readonly Bilingual[] = [
  { en: 'steel', de: 'Stahl' },
  { en: 'aluminium', de: 'Aluminium' },
  { en: 'oak', de: 'Eiche' },
  { en: 'bamboo', de: 'Bambus' },
  { en: 'recycled plastic', de: 'recyceltem Kunststoff' },
  { en: 'leather', de: 'Leder' },
  { en: 'organic cotton', de: 'Bio-Baumwolle' },
  { en: 'glass', de: 'Glas' },
  { en: 'ceramic', de: 'Keramik' },
  { en: 'carbon fibre', de: 'Carbonfaser' },
];

export const FEATURES: readonly Bilingual[] = [
  { en: 'Comes with a two-year warranty.', de: 'Mit zwei Jahren Garantie.' },
  { en: 'Easy to clean.', de: 'Leicht zu reinigen.' },
  { en: 'Ideal for everyday use.', de: 'Ideal für den täglichen Gebrauch.' },
  { en: 'Includes a carrying case.', de: 'Inklusive Tragetasche.' },
  { en: 'Energy-efficient design.', de: 'Energieeffizientes Design.' },
  { en: 'Made in Europe.', de: 'Hergestellt in Europa.' },
  { en: 'Spare parts available for ten years.', de: 'Ersatzteile zehn Jahre lang erhältlich.' },
  { en: 'Winner of several design awards.', de: 'Mehrfach für sein Design ausgezeichnet.' },
];

/** Made-up brand names (language neutral). */
export const BRANDS: readonly string[] = [
  'Nordlicht',
  'Alpina',
  'Brightwell',
  'Kestrel',
  'Sonora',
  'Vantage',
  'Hollis',
  'Merid',
  'Tallow',
  'Quillon',
  'Ostara',
  'Fennick',
  'Lumen & Co',
  'Redwater',
  'Zephyra',
  'Grauwerk',
];

export const MODEL_SUFFIXES: readonly string[] = ['', '', '', ' Pro', ' Plus', ' Mini', ' Max', ' S', ' X', ' Lite'];
