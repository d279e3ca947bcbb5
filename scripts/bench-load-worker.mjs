// The load generator of `npm run bench -- intake`, in a child process so that the server under test keeps
// its process (and a core) to itself, as it would with real clients on other machines. (Not a worker
// thread: autocannon takes any non-main thread for one of its own workers.)
import autocannon from 'autocannon';

const { url, connections, duration, compounds, categories, seed } = await new Promise((resolve) =>
  process.once('message', resolve),
);

/** mulberry32: the same run sends the same reports. */
let a = seed >>> 0;
const random = () => {
  a = (a + 0x6d2b79f5) >>> 0;
  let t = a;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const body = () => {
  const c = compounds[Math.floor(random() * compounds.length)] ?? { lng: 121.38, lat: 31.11 };
  // ±~150 m around a compound, WGS-84: some land near an open case of the same category and join it.
  return JSON.stringify({
    channel: 'resident',
    categoryKey: categories[Math.floor(random() * categories.length)],
    description: '小区门口有暴露垃圾，已经两天没人清理，影响通行。',
    location: { lng: c.lng + (random() - 0.5) * 0.003, lat: c.lat + (random() - 0.5) * 0.003, crs: 'wgs84', accuracy: 15 },
    reporter: { name: '市民', phone: '13800138000' },
  });
};

const r = await autocannon({
  url,
  connections,
  duration,
  headers: { 'content-type': 'application/json' },
  requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: body() }) }],
});
process.send({
  rps: r.requests.average,
  p50: r.latency.p50,
  p99: r.latency.p99,
  ok: r['2xx'],
  errors: r.errors,
  non2xx: r.non2xx,
});
process.disconnect();
