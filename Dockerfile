# docket's images, from one file (docker-compose.yml builds both):
#   docket (the last stage, the default): the product compiled to JavaScript with production
#          dependencies only: worker, HTTP API, S3-event starter, codec server. No tsx, no OCR.
#   local: the local toolkit (@docket/local) for the compose stack: the local Textract and the init
#          step that creates buckets, the KMS key and queues in moto. Development only.

# Everything installed, the product compiled (npm ci runs `npm run build`: dist/ and the workflow bundle).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npm cache clean --force

FROM build AS local
ENV PATH=/app/node_modules/.bin:$PATH
USER node

FROM node:24-bookworm-slim AS docket
WORKDIR /app
ENV NODE_ENV=production
# The product's own dependencies: the toolkit workspace and dev dependencies stay out.
COPY package.json package-lock.json ./
COPY local/package.json local/package.json
RUN npm ci --omit=dev --workspaces=false --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY bin bin
COPY --from=build /app/dist dist
# The worker loads the bundle the build stage made instead of running webpack at every start.
ENV DOCKET_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
USER node
CMD ["node", "dist/workers/main.js"]
