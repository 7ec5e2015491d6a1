'use strict';
// Who calls a hot function: self time of functions matching a pattern, grouped by their caller chain.
//   node bench/profile-callers.js FILE.cpuprofile 'writeUtf8String' [depth=4]
const fs = require('node:fs');
const [file, pattern, depthArg] = process.argv.slice(2);
const depth = Number(depthArg || 4);
const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
const total = [...self.entries()].filter(([id]) => byId.get(id).callFrame.functionName !== '(idle)').reduce((a, [, b]) => a + b, 0);
const re = new RegExp(pattern);
const chains = new Map();
let matched = 0;
const name = (n) =>
  `${n.callFrame.functionName || '(anon)'}@${(n.callFrame.url || '')
    .replace(/^.*node_modules\//, '')
    .replace(/^.*\/dist\//, 'dist/')
    .replace(/^node:internal\//, '')}:${n.callFrame.lineNumber + 1}`;
for (const [id, us] of self) {
  const n = byId.get(id);
  if (!re.test(n.callFrame.functionName)) continue;
  matched += us;
  const chain = [];
  let p = parent.get(id);
  while (p !== undefined && chain.length < depth) {
    chain.push(name(byId.get(p)));
    p = parent.get(p);
  }
  const key = chain.join(' < ');
  chains.set(key, (chains.get(key) ?? 0) + us);
}
console.log(`${pattern}: ${((100 * matched) / total).toFixed(1)}% of busy time`);
for (const [k, us] of [...chains].sort((a, b) => b[1] - a[1]).slice(0, 15))
  console.log(`  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`);
