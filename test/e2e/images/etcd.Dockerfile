# etcd and etcdctl built on the host from the Go module proxy (see build.sh).
ARG BASE
FROM ${BASE}
COPY etcd etcdctl /usr/local/bin/
# etcdctl 3.5 speaks v3 by default; set anyway so the healthcheck never depends on it.
ENV ETCDCTL_API=3
EXPOSE 2379 2380
