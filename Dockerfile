# One image for Fulcrum's processes: `api/main.ts` (the default), `workers/main.ts` and
# `scripts/migrate.ts`, each run by node directly so SIGTERM reaches it (graceful shutdown).
# The build stage compiles the console and bundles the workflows once; the runtime stage
# holds production dependencies only and runs as the unprivileged `node` user.
FROM node:20.19-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:web \
 && node --import tsx scripts/build-workflow-bundle.ts dist/workflow-bundle.js \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20.19-bookworm-slim
ENV NODE_ENV=production \
    FULCRUM_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js \
    FULCRUM_API_HOST=0.0.0.0 \
    FULCRUM_WORKER_METRICS_ADDRESS=0.0.0.0:9464
WORKDIR /app
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --from=build --chown=root:root /app/web/dist ./web/dist
COPY --from=build --chown=root:root /app/package.json /app/tsconfig.json ./
COPY --from=build --chown=root:root /app/activities ./activities
COPY --from=build --chown=root:root /app/api ./api
COPY --from=build --chown=root:root /app/config ./config
COPY --from=build --chown=root:root /app/db ./db
COPY --from=build --chown=root:root /app/domain ./domain
COPY --from=build --chown=root:root /app/scripts ./scripts
COPY --from=build --chown=root:root /app/services ./services
COPY --from=build --chown=root:root /app/workers ./workers
COPY --from=build --chown=root:root /app/workflows ./workflows
# The code is root's and read-only to the process (uid 1000 is the image's `node` user, which Kubernetes
# can check as runAsNonRoot); nothing is written inside the image.
USER 1000:1000
EXPOSE 3000 9464
ENTRYPOINT ["node", "--import", "tsx"]
CMD ["api/main.ts"]
