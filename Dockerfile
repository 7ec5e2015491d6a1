# syntax=docker/dockerfile:1
# One image for the API, the worker and the CLI (migrations, admin:create); the command picks.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY scripts ./scripts
COPY apps ./apps
COPY libs ./libs
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# Runtime assets read from the repository layout: email templates, the common-password list, the
# i18n catalogues, and the hosted pages' templates, stylesheet and script.
COPY --from=build --chown=node:node /app/libs/notification/templates ./libs/notification/templates
COPY --from=build --chown=node:node /app/libs/customers/assets ./libs/customers/assets
COPY --from=build --chown=node:node /app/libs/i18n/locales ./libs/i18n/locales
COPY --from=build --chown=node:node /app/apps/api/pages ./apps/api/pages
USER node
# 3000: the API; 9465: the worker's /metrics (WORKER_METRICS_PORT).
EXPOSE 3000 9465
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/apps/api/main.js"]
