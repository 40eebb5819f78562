#!/usr/bin/env node
// npm links bins as-is, so the bin is plain JS; Node 24 strips the types of
// the TypeScript it imports.
import { main } from '../src/main.ts';

process.exitCode = await main(process.argv.slice(2));
