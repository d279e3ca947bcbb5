// Where a phone's position comes from and in which coordinate system. Pure: no DOM beyond the user-agent
// string handed in.
import type { Point, ReportCrs } from './intake-api';

/**
 * The coordinate system of navigator.geolocation on this browser. Browsers give WGS-84 (W3C Geolocation);
 * WeChat's built-in browser (MicroMessenger) and the mini-program web-view give GCJ-02, as do most
 * browsers shipped by Chinese phone makers that route positioning through the domestic map providers
 * (their user agents are too varied to name; those phones are told apart by the user, see the page).
 */
export const geolocationCrs = (userAgent: string): ReportCrs =>
  /MicroMessenger|miniProgram/i.test(userAgent) ? 'gcj02' : 'wgs84';

const A = 6378245.0; // Krasovsky 1940 semi-major axis, as GCJ-02 uses
const EE = 0.006693421622965943;

/** Roughly mainland China: GCJ-02 offsets apply only inside. */
const inChina = (lng: number, lat: number) => lng > 72.004 && lng < 137.8347 && lat > 0.8293 && lat < 55.8271;

function transformLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function transformLng(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

/** WGS-84 → GCJ-02 (the published forward formula). */
export function wgs84ToGcj02({ lng, lat }: Point): Point {
  if (!inChina(lng, lat)) return { lng, lat };
  const radLat = (lat / 180) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (transformLat(lng - 105, lat - 35) * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLng = (transformLng(lng - 105, lat - 35) * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return { lng: lng + dLng, lat: lat + dLat };
}

/**
 * GCJ-02 → WGS-84, for drawing a WeChat position on the map (which is WGS-84): the forward formula
 * inverted by fixed-point iteration, to well under a metre in a few steps. The report itself is sent with
 * the coordinates as measured and crs gcj02; the server converts.
 */
export function gcj02ToWgs84(p: Point): Point {
  if (!inChina(p.lng, p.lat)) return p;
  let guess = { ...p };
  for (let i = 0; i < 8; i++) {
    const f = wgs84ToGcj02(guess);
    const dx = p.lng - f.lng;
    const dy = p.lat - f.lat;
    guess = { lng: guess.lng + dx, lat: guess.lat + dy };
    if (Math.abs(dx) < 1e-9 && Math.abs(dy) < 1e-9) break;
  }
  return guess;
}

/** A point in a declared system, for the map (WGS-84). BD-09 never comes from a phone here. */
export const toMapPoint = (p: Point, crs: ReportCrs): Point => (crs === 'gcj02' ? gcj02ToWgs84(p) : p);
