#!/usr/bin/env node
// The CLI runs the TypeScript sources through tsx, as `npm start` does: no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
