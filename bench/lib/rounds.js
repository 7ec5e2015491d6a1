'use strict';
// The alternating-rounds loop the A/B sections share (stores, abuse, webhooks): modes A and B in
// every round, the order swapped each round (A B, B A, A B ...), so that drift of a shared, noisy
// machine and a process warming up hit both alike; then per-round ratios of B to A.
const { median } = require('./load');

/**
 * Runs `run(mode, round)` for every mode in every round (1..rounds), the order of `modes` reversed in
 * even rounds. Returns each mode's results in round order: { [mode]: [result of round 1, ...] }.
 */
async function alternatingRounds(rounds, modes, run) {
  const byMode = Object.fromEntries(modes.map((m) => [m, []]));
  for (let r = 1; r <= rounds; r++) {
    for (const mode of r % 2 ? modes : [...modes].reverse()) byMode[mode].push(await run(mode, r));
  }
  return byMode;
}

/** b[i].key / a[i].key for each round, rounded to `digits` (null for a round where A measured nothing). */
function perRoundRatios(a, b, key = 'rps', digits = 3) {
  const f = 10 ** digits;
  return b.map((x, i) => (a[i][key] ? Math.round((x[key] / a[i][key]) * f) / f : null));
}

/** The median of the per-round ratios (robust to one round hit by a neighbour's load). */
const medianRatio = (a, b, key = 'rps') => median(perRoundRatios(a, b, key, 6));

module.exports = { alternatingRounds, perRoundRatios, medianRatio };
