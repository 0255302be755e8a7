# docket's Node services in one image: the worker (npm run worker), the HTTP API (npm run api), the
# S3-event starter (npm run starter), the local Textract (tsx local/textract/main.ts) and the compose
# stack's init (tsx deploy/compose/init-aws.ts). docker-compose.yml builds it as docket:local.
FROM node:20-bookworm-slim

WORKDIR /app

# Dependencies first, so this layer is rebuilt only when the lock file changes. Dev dependencies are
# kept: the services run TypeScript through tsx, and the local Textract needs its OCR packages.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund && npm cache clean --force

COPY . .

# The worker loads this prebuilt workflow bundle (DOCKET_WORKFLOW_BUNDLE) instead of running webpack
# at every start.
RUN npm run build:workflows

ENV PATH=/app/node_modules/.bin:$PATH
USER node
