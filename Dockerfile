# scopegate gateway image: stateless; point SCOPEGATE_SURREAL_URL at a SurrealDB server or cluster
# (ws:// / wss://) to run any number of replicas, or mount /data for the embedded engine.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# Runtime dependencies only; @surrealdb/node ships its native engine as a prebuilt binary.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
COPY schema ./schema
COPY src ./src
COPY bin ./bin
RUN mkdir -p /data && chown node:node /data
USER node
ENV PORT=4000 \
    HOST=0.0.0.0 \
    SCOPEGATE_SURREAL_URL=surrealkv:///data \
    SCOPEGATE_CONNECT_TIMEOUT_MS=10000
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "bin/scopegate.mjs", "serve"]
