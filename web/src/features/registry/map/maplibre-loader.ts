// MapLibre is large (≈1 MB): it is loaded on first use, into its own chunk, with its stylesheet, and its
// worker is served as a file of the build (Vite's ?url) rather than looked for next to a moved chunk.
import type * as MapLibreModule from 'maplibre-gl';

type MapLibre = typeof MapLibreModule;

let loading: Promise<MapLibre> | null = null;

/** MapLibre GL, loaded once. */
export function loadMaplibre(): Promise<MapLibre> {
  loading ??= Promise.all([
    import('maplibre-gl'),
    import('maplibre-gl/dist/maplibre-gl-worker.mjs?url'),
    import('maplibre-gl/dist/maplibre-gl.css'),
  ]).then(([maplibre, worker]) => {
    maplibre.setWorkerUrl(worker.default);
    return maplibre;
  });
  loading.catch(() => {
    loading = null; // a failed chunk load may succeed on the next visit
  });
  return loading;
}
