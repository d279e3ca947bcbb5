/** Seeded randomness for the demo generator: mulberry32 streams derived from one seed and a label. */

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/** FNV-1a hash of a string to an unsigned 32-bit integer. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small, fast, well-mixed 32-bit generator. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * An independent stream per purpose, so that changing how one layer uses randomness does not change the
 * others.
 */
export function stream(seed: number, label: string): Rng {
  return mulberry32(hashString(`${seed >>> 0}:${label}`));
}

/** Uniform integer in [0, n). */
export function randInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** One element of a non-empty array. */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[randInt(rng, items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** Fisher–Yates shuffle into a new array. */
export function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = randInt(rng, i + 1);
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}

/**
 * Smooth value noise in about [-1, 1]: a sum of octaves of bilinearly interpolated lattice values, hashed
 * from the seed, so it needs no table and is the same wherever it is evaluated.
 */
export function valueNoise(seed: number, scale: number, octaves = 3): (x: number, y: number) => number {
  const lattice = (ix: number, iy: number, o: number): number => {
    let h = Math.imul(ix, 374761393) ^ Math.imul(iy, 668265263) ^ Math.imul(seed + o * 1013, 2246822519);
    h = Math.imul(h ^ (h >>> 13), 3266489917);
    h ^= h >>> 16;
    return ((h >>> 0) / 4294967296) * 2 - 1;
  };
  const fade = (t: number) => t * t * (3 - 2 * t);
  return (x, y) => {
    let total = 0;
    let amp = 1;
    let norm = 0;
    let s = scale;
    for (let o = 0; o < octaves; o++) {
      const fx = x / s;
      const fy = y / s;
      const ix = Math.floor(fx);
      const iy = Math.floor(fy);
      const tx = fade(fx - ix);
      const ty = fade(fy - iy);
      const a = lattice(ix, iy, o);
      const b = lattice(ix + 1, iy, o);
      const c = lattice(ix, iy + 1, o);
      const d = lattice(ix + 1, iy + 1, o);
      total += amp * (a + (b - a) * tx + (c - a) * ty + (a - b - c + d) * tx * ty);
      norm += amp;
      amp /= 2;
      s /= 2;
    }
    return total / norm;
  };
}
