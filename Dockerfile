# Parley's image: build with every dependency, run with production ones only.
#   docker build -t parley .    (or `docker compose up --build`, see docker-compose.yml)

ARG NODE_IMAGE=node:20-bookworm-slim

# --- deps: every dependency, for the build --------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
RUN npm ci

# --- build: the Remix server build and the bundled server (build/), browser assets (public/build/)
FROM deps AS build
COPY . .
RUN npm run build

# --- prod-deps: production dependencies only (tsx is one, for the db:migrate and user:create CLIs)
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# --- runtime ---------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000

COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
# The sources stay for the TypeScript CLIs (npm run db:migrate, npm run user:create).
COPY app ./app
COPY db ./db
COPY migrations ./migrations
COPY public ./public
COPY --from=build /app/build ./build
COPY --from=build /app/public/build ./public/build

# Code stays root-owned and read-only to the app; only DATA_DIR (.data, used for the embedded
# database when DATABASE_URL is unset) is writable.
RUN mkdir -p .data && chown node:node .data
USER node

EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# node is PID 1 (no npm in between), so SIGTERM reaches Parley's graceful shutdown. The server
# is the bundled JavaScript from the build, run without a TypeScript loader (decision record
# 0029). Migrations run at start.
CMD ["node", "build/server.js"]
