# MinIO server built on the host from the Go module proxy (see build.sh).
ARG BASE
FROM ${BASE}
COPY minio /usr/local/bin/
EXPOSE 9000 9001
