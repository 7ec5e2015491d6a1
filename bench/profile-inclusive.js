'use strict';
// Inclusive (total) time of functions matching each pattern, as a share of busy time.
//   node bench/profile-inclusive.js FILE.cpuprofile 'canActivate' 'transform@.*validation' ...
// A pattern is matched against "functionName@url"; nested matches are counted once.
const fs = require('node:fs');
const [file, ...patterns] = process.argv.slice(2);
const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
const label = (n) => `${n.callFrame.functionName}@${n.callFrame.url}`;
const busy = [...self].filter(([id]) => byId.get(id).callFrame.functionName !== '(idle)').reduce((a, [, b]) => a + b, 0);
for (const p of patterns) {
  const re = new RegExp(p);
  let us = 0;
  for (const [id, t] of self) {
    let q = id;
    while (q !== undefined) {
      if (re.test(label(byId.get(q)))) {
        us += t;
        break;
      }
      q = parent.get(q);
    }
  }
  console.log(`${((100 * us) / busy).toFixed(1).padStart(5)}%  ${p}`);
}
