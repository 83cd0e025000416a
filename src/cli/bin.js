#!/usr/bin/env node
// `propensity <command>`: loads the TypeScript sources through tsx (its ESM and CommonJS hooks, as
// `node --import tsx` would), so the CLI works right after `npm ci` with no build step.
import 'tsx';

const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
