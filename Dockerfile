# syntax=docker/dockerfile:1
# orderbridge's image: `build` compiles the TypeScript to dist/ and packs the npm package, `deps` installs the
# production dependencies (better-sqlite3, the one native module, is compiled there), the run stage is Node 20
# slim with the package's files and those dependencies, running as `node`.
# test/dockerfile.e2e.test.ts runs these same instructions in a clean folder.

FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Compiling TypeScript needs no native module, so no install scripts here (nor `prepare`: the sources come next).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# pack/package/ holds what the npm package holds (npm pack's own list: package.json, bin/, dist/, the CLI's sample
# orders); data/ is the empty folder the run stage takes for its volume (a COPY: the run stage runs no command).
RUN npm run build \
 && mkdir -p pack data \
 && npm pack --ignore-scripts --pack-destination pack \
 && tar -xzf pack/orderbridge-*.tgz -C pack

FROM node:20-bookworm AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# `npm rebuild` runs the dependencies' install scripts that --ignore-scripts held back (and not `prepare`).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm rebuild --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8787 \
    DATABASE_PATH=/data/orderbridge.db
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/pack/package ./
# The database, its WAL and (without ENCRYPTION_KEY) the key file live on the volume, the only place `node` writes.
COPY --from=build --chown=node:node /app/data /data
USER node
VOLUME ["/data"]
EXPOSE 8787
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# orderbridge is PID 1 (no npm in between): SIGTERM finishes requests and the current delivery batch, then exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "bin/orderbridge.js", "serve"]
