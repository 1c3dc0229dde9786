# The real Milvus server binary and its libraries from the PyPI `milvus` wheel (see build.sh).
ARG BASE
FROM ${BASE}
COPY bin/ /milvus/bin/
COPY lib/ /milvus/lib/
COPY configs/ /milvus/configs/
COPY milvus-entry.sh /usr/local/bin/milvus
COPY seed-root-password.sh /milvus/seed-root-password.sh
WORKDIR /milvus
EXPOSE 19530 9091
CMD ["milvus", "run", "standalone"]
