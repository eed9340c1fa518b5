# One image for both Fulcrum processes; docker-compose.yml runs it as `api` and as `worker`.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# Dev dependencies (Vite) build the console into web/dist; then they go.
RUN npm ci --include=dev --no-audit --no-fund
COPY . .
RUN npm run build:web && npm prune --omit=dev
# FULCRUM_PROCESS=api migrates the database first, then serves; FULCRUM_PROCESS=workers runs the worker.
CMD ["sh", "-c", "if [ \"${FULCRUM_PROCESS:-api}\" = api ]; then npx tsx scripts/migrate.ts; fi && exec npx tsx ${FULCRUM_PROCESS:-api}/main.ts"]
