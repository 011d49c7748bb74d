#!/usr/bin/env node
// The CLI runs the compiled JavaScript in dist/ (npm install builds it; npm run build after changing a source).
try {
  await import('../dist/src/cli/main.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/src/cli/main.js')) throw error;
  console.error('orderbridge is not built: run `npm run build` (npm install runs it) and try again');
  process.exitCode = 1;
}
