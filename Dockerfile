# One image for every service; the command chooses which services a container hosts.

# The web UI's vendored libraries (Chart.js, gridstack), pinned by package-lock.json.
FROM node:20-slim AS ui
WORKDIR /ui/services/gateway/ui
COPY services/gateway/ui/package.json services/gateway/ui/package-lock.json services/gateway/ui/build.sh ./
RUN ./build.sh

FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY libs ./libs
COPY services ./services
COPY protos ./protos
COPY --from=ui /ui/services/gateway/static/vendor ./services/gateway/static/vendor
RUN pip install --no-cache-dir . "psycopg[binary]"
ENV PARTNEROS_DATA_DIR=/data
EXPOSE 50051 8080
ENTRYPOINT ["partneros"]
CMD ["serve", "--services", "all"]
