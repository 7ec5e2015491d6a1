'use strict';
// Summarises a .cpuprofile (node --cpu-prof): self time by package / area and the top functions.
//   node bench/profile-summary.js .bench/profiles/api-123.cpuprofile [topN]
const fs = require('node:fs');

const file = process.argv[2];
const topN = Number(process.argv[3] || 30);
const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
const deltas = prof.timeDeltas;
for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (deltas[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);

function area(url) {
  if (!url) return '(native/vm)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  if (url.includes('/dist/')) return `app:${url.split('/dist/')[1].split('/').slice(0, 3).join('/')}`;
  return url;
}
const areas = new Map();
const funcs = new Map();
for (const [id, us] of self) {
  const n = byId.get(id);
  const cf = n.callFrame;
  const a =
    cf.functionName === '(garbage collector)' || cf.functionName === '(idle)' || cf.functionName === '(program)'
      ? cf.functionName
      : area(cf.url);
  areas.set(a, (areas.get(a) ?? 0) + us);
  const key = `${cf.functionName || '(anonymous)'} ${cf.url ? `${cf.url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/')}:${cf.lineNumber + 1}` : ''}`;
  funcs.set(key, (funcs.get(key) ?? 0) + us);
}
const busy = total - (areas.get('(idle)') ?? 0);
const pct = (us, base) => `${((100 * us) / base).toFixed(1)}%`.padStart(6);
console.log(`profile ${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (${pct(busy, total)})`);
console.log('\nself time by area (share of busy time):');
for (const [a, us] of [...areas].sort((x, y) => y[1] - x[1]).slice(0, 25)) if (a !== '(idle)') console.log(`  ${pct(us, busy)}  ${a}`);
console.log(`\ntop ${topN} functions by self time:`);
for (const [f, us] of [...funcs].sort((x, y) => y[1] - x[1]).slice(0, topN))
  if (!f.startsWith('(idle)')) console.log(`  ${pct(us, busy)}  ${f}`);
