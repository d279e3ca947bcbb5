import { describe, expect, it } from 'vitest';
import { collectionBounds, containsBounds, isBigLayer, padBounds, softColour } from './map-style';

describe('map style helpers', () => {
  it('gives each code a stable soft colour, and neighbouring codes different ones', () => {
    expect(softColour('T00')).toBe(softColour('T00'));
    const colours = new Set(['T00', 'T01', 'T10', 'T11', 'A', 'B', 'C'].map(softColour));
    expect(colours.size).toBe(7);
    for (const c of colours) {
      const lightness = Number(/, (\d+)%\)$/.exec(c)?.[1]);
      expect(lightness).toBeGreaterThanOrEqual(70); // soft: light enough that outlines and labels read
    }
  });

  it('bounds nested coordinates and ignores what is not a position', () => {
    const fc = {
      features: [
        {
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [121.36, 31.1],
                [121.37, 31.1],
                [121.37, 31.11],
                [121.36, 31.1],
              ],
            ],
          },
        },
        {
          geometry: {
            type: 'MultiPolygon',
            coordinates: [
              [
                [
                  [121.35, 31.12],
                  [121.351, 31.12],
                  [121.35, 31.121],
                  [121.35, 31.12],
                ],
              ],
            ],
          },
        },
        { geometry: null },
      ],
    };
    expect(collectionBounds(fc)).toEqual([121.35, 31.1, 121.37, 31.121]);
    expect(collectionBounds({ features: [] })).toBeNull();
  });

  it('pads and compares boxes, and tells big layers from small', () => {
    const padded = padBounds([0, 0, 10, 20], 0.1);
    expect(padded).toEqual([-1, -2, 11, 22]);
    expect(containsBounds(padded, [0, 0, 10, 20])).toBe(true);
    expect(containsBounds([0, 0, 10, 20], padded)).toBe(false);
    expect(isBigLayer(40_000)).toBe(true);
    expect(isBigLayer(300)).toBe(false);
  });
});
