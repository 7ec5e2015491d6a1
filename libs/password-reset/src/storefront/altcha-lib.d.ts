/**
 * altcha-lib 2.x publishes its entry points through package.json `exports` only, which this
 * project's TypeScript module resolution (node10, for CommonJS output) does not read. At run time
 * `require('altcha-lib')` follows `exports` as usual; these declarations point the type checker at
 * the same files' typings.
 */
declare module 'altcha-lib' {
  export * from 'altcha-lib/dist/cjs/v2/index';
}

declare module 'altcha-lib/algorithms/sha' {
  export * from 'altcha-lib/dist/cjs/v2/algorithms/sha';
}
