# One image for every service; the command chooses which services a container hosts.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY libs ./libs
COPY services ./services
COPY protos ./protos
RUN pip install --no-cache-dir . psycopg[binary]
ENV PARTNEROS_DATA_DIR=/data
EXPOSE 50051 8080
ENTRYPOINT ["partneros"]
CMD ["serve", "--services", "all"]
