import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import {
  categoryKeyOfServiceCode,
  newIdempotencyKey,
  submitReport,
  uploadPhoto,
  type ReportBody,
} from './intake-api';
import { gcj02ToWgs84, geolocationCrs, toMapPoint, wgs84ToGcj02 } from './intake-geo';

const BODY: ReportBody = {
  channel: 'resident',
  description: '人行道上堆放建筑垃圾',
  location: { lng: 121.385, lat: 31.1, crs: 'wgs84' },
};

const created = () =>
  new Response(JSON.stringify({ id: 'r1', trackingCode: 'ABCDEFGHJ0' }), {
    status: 201,
    headers: { 'content-type': 'application/json' },
  });

afterEach(() => vi.unstubAllGlobals());

describe('submitReport', () => {
  it('retries a network failure with the same Idempotency-Key and the same body', async () => {
    const calls: Array<{ headers: Record<string, string>; body: unknown }> = [];
    const fetchMock = vi.fn((_url: string, init: RequestInit) => {
      calls.push({ headers: init.headers as Record<string, string>, body: init.body });
      return calls.length === 1
        ? Promise.reject(new TypeError('Failed to fetch'))
        : Promise.resolve(created());
    });
    vi.stubGlobal('fetch', fetchMock);
    const retries: number[] = [];
    const r = await submitReport({ language: 'zh-CN', csrfToken: 'tok' }, BODY, 'key-1', {
      onRetry: (n) => retries.push(n),
      sleep: () => Promise.resolve(),
    });
    expect(r.trackingCode).toBe('ABCDEFGHJ0');
    expect(retries).toEqual([1]);
    expect(calls).toHaveLength(2);
    for (const c of calls) {
      expect(c.headers['Idempotency-Key']).toBe('key-1');
      expect(c.headers['x-csrf-token']).toBe('tok');
      expect(c.headers['Accept-Language']).toBe('zh-CN');
    }
    expect(calls[1]?.body).toBe(calls[0]?.body);
  });

  it('does not retry a refusal, and hands on the server’s field and message', async () => {
    const body = { error: { code: 'Invalid', message: '请描述问题', details: { field: 'description' } } };
    const fetchMock = vi.fn(() =>
      Promise.resolve(
        new Response(JSON.stringify(body), { status: 400, headers: { 'content-type': 'application/json' } }),
      ),
    );
    vi.stubGlobal('fetch', fetchMock);
    const e = await submitReport({ language: 'zh-CN', csrfToken: null }, BODY, 'key-2', {
      sleep: () => Promise.resolve(),
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).details.field).toBe('description');
    expect((e as ApiError).message).toBe('请描述问题');
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('gives up after the set number of attempts', async () => {
    const fetchMock = vi.fn(() => Promise.reject(new TypeError('offline')));
    vi.stubGlobal('fetch', fetchMock);
    const e = await submitReport({ language: 'en', csrfToken: null }, BODY, 'key-3', {
      attempts: 3,
      sleep: () => Promise.resolve(),
    }).catch((x: unknown) => x);
    expect((e as ApiError).code).toBe('NetworkError');
    expect(fetchMock).toHaveBeenCalledTimes(3);
  });
});

describe('uploadPhoto', () => {
  it('posts multipart with the field `photo` and lets the browser write the Content-Type', async () => {
    let seen: RequestInit | undefined;
    vi.stubGlobal(
      'fetch',
      vi.fn((_url: string, init: RequestInit) => {
        seen = init;
        return Promise.resolve(
          new Response(JSON.stringify({ id: 'p1' }), {
            status: 201,
            headers: { 'content-type': 'application/json' },
          }),
        );
      }),
    );
    const photo = await uploadPhoto(
      { language: 'zh-CN', csrfToken: null },
      new Blob([new Uint8Array([1, 2])]),
      'a.png',
    );
    expect(photo.id).toBe('p1');
    expect(seen?.body).toBeInstanceOf(FormData);
    expect((seen?.body as FormData).get('photo')).toBeInstanceOf(Blob);
    expect(Object.keys(seen?.headers as Record<string, string>)).not.toContain('Content-Type');
  });
});

describe('coordinates of a phone', () => {
  it('takes WeChat’s position as GCJ-02 and a plain browser’s as WGS-84', () => {
    expect(geolocationCrs('Mozilla/5.0 (iPhone) AppleWebKit MicroMessenger/8.0.50 NetType/WIFI')).toBe(
      'gcj02',
    );
    expect(geolocationCrs('Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile Safari/537.36')).toBe('wgs84');
  });

  it('inverts GCJ-02 to WGS-84 to well under a metre in Shanghai, and leaves points abroad alone', () => {
    const wgs = { lng: 121.385, lat: 31.1 };
    const gcj = wgs84ToGcj02(wgs);
    // The published offset in Shanghai is some 400–600 m, mostly eastward.
    expect(gcj.lng - wgs.lng).toBeGreaterThan(0.003);
    expect(gcj.lng - wgs.lng).toBeLessThan(0.006);
    const back = gcj02ToWgs84(gcj);
    expect(Math.abs(back.lng - wgs.lng)).toBeLessThan(1e-7);
    expect(Math.abs(back.lat - wgs.lat)).toBeLessThan(1e-7);
    expect(toMapPoint(wgs, 'wgs84')).toEqual(wgs);
    expect(gcj02ToWgs84({ lng: 2.35, lat: 48.85 })).toEqual({ lng: 2.35, lat: 48.85 });
  });
});

describe('small helpers', () => {
  it('reads Open311 service codes as category keys', () => {
    expect(categoryKeyOfServiceCode('event06010')).toBe('event:06010');
    expect(categoryKeyOfServiceCode('component01001')).toBe('component:01001');
    expect(categoryKeyOfServiceCode('unclassified')).toBeNull();
  });

  it('makes a fresh v4 UUID per form', () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newIdempotencyKey()).not.toBe(a);
  });
});
