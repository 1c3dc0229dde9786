import * as pulumi from "@pulumi/pulumi";
import { CloreDockerHost } from "../components/clore/cloreDockerHost";
import { rentalArgsFromConfig } from "../components/clore/rentalArgs";
import { DockerHost } from "../components/host/dockerHost";
import type { MilvusEndpoint } from "../components/endpoint";
import { MilvusStandalone } from "../components/standalone/milvusStandalone";
import { isLoopback } from "../components/standalone/settings";
import { dataDirectories } from "../components/standalone/specs";
import { backupStateHostDir } from "../components/backup/specs";
import { monitoredDeployment } from "../components/monitoring/deployment";
import { MilvusMonitoring } from "../components/monitoring/milvusMonitoring";
import { monitoringHostDirs } from "../components/monitoring/paths";
import { DockerStackConfig, loadSecrets } from "./config";
import { verifiedDeployment } from "./verification";

/**
 * etcd, MinIO and Milvus standalone on a Docker host: this machine's, one over SSH, or a
 * rented Clore.ai server running SSH + Docker; then the schema step against it.
 */
export function standaloneStack(config: DockerStackConfig) {
    const secrets = loadSecrets();
    const s = config.standalone;
    const h = config.host;
    const gpu = s.milvus.gpu !== undefined;

    let rental: CloreDockerHost | undefined;
    let ssh: ConstructorParameters<typeof DockerHost>[1]["ssh"];
    if (h.type === "clore" && !config.backup) {
        // A rental can end (cancelled, outbid, its maximum length reached): its disk is the only copy otherwise.
        pulumi.log.warn(
            "milvus-gpu: this deployment runs on a rented Clore.ai server and has no backup: when the rental ends, its data ends with it. Configure milvus-gpu:backup (see docs/backups.md).",
        );
    }
    if (h.type === "clore") {
        rental = new CloreDockerHost("rental", {
            ...rentalArgsFromConfig(h, requireSecret(secrets.cloreApiKey, "cloreApiKey", "a Clore.ai host")),
            image: h.image!,
            sshPublicKey: h.sshPublicKey!,
            milvusPorts: { grpc: s.milvus.grpc.port, http: s.milvus.http.port },
            // 9091 is mapped publicly only when it is published beyond the rented host's loopback.
            ports: [s.milvus.grpc.port, ...(isLoopback(s.milvus.http.host) ? [] : [s.milvus.http.port])],
            env: h.env,
        });
        ssh = { address: rental.sshHost, port: rental.sshPort, user: rental.user, privateKey: secrets.sshPrivateKey, sshOpts: h.sshOpts };
    } else if (h.type === "ssh") {
        ssh = { address: h.address, port: h.port, user: h.user, privateKey: secrets.sshPrivateKey, sshOpts: h.sshOpts };
    }

    const backup = config.backup;
    const monitoring = config.monitoring;
    const monitoringDirs = monitoring ? monitoringHostDirs(s.dataDir) : undefined;
    const dataDirs = [
        ...dataDirectories(s),
        ...(backup ? [backupStateHostDir(s)] : []),
        ...(monitoringDirs ? [monitoringDirs.prometheus, ...(monitoring?.grafana ? [monitoringDirs.grafana] : [])] : []),
    ];
    const host = new DockerHost("host", { ssh, dataDirs, gpu }, { dependsOn: rental ? [rental] : [] });
    const milvus = new MilvusStandalone(
        "milvus",
        {
            credentials: { rootPassword: secrets.rootPassword, minioAccessKey: secrets.minioAccessKey, minioSecretKey: secrets.minioSecretKey },
            publicHost: h.type === "ssh" ? h.address : undefined,
            ...(s.milvus.tls?.certificate === "config"
                ? {
                      tlsCertificate: {
                          cert: requireSecret(secrets.milvusTlsCert, "milvusTlsCert", "milvus.tls.certificate: config"),
                          key: requireSecret(secrets.milvusTlsKey, "milvusTlsKey", "milvus.tls.certificate: config"),
                      },
                  }
                : {}),
            ...(backup
                ? {
                      backupCredentials: {
                          accessKey: requireSecret(secrets.backupAccessKey, "backupAccessKey", "backup"),
                          secretKey: requireSecret(secrets.backupSecretKey, "backupSecretKey", "backup"),
                      },
                  }
                : {}),
        },
        { dependsOn: [host], host, settings: s, backup },
    );

    const watcher = monitoring
        ? new MilvusMonitoring(
              "monitoring",
              {
                  deployment: monitoredDeployment(s, backup),
                  network: milvus.network.name,
                  minioAccessKey: milvus.minioAccessKey,
                  minioSecretKey: milvus.minioSecretKey,
                  ...(rental ? { rentalExpiresAt: rental.expiresAt.apply((t) => (t === undefined ? undefined : new Date(t * 1000).toISOString())) } : {}),
              },
              // Started once Milvus is healthy (and restored): its first scrapes then find it up.
              { provider: host.provider, dependsOn: [host, milvus], settings: monitoring },
          )
        : undefined;

    // A rental maps container ports to other public numbers: clients use the mapped ones.
    const verified = verifiedDeployment(config, rental ? throughRental(milvus, rental) : milvus, [milvus]);
    return {
        host,
        milvus,
        rental,
        monitoring: watcher,
        schema: verified.schema,
        outputs: {
            ...verified.outputs,
            minioAccessKey: milvus.minioAccessKey,
            minioSecretKey: milvus.minioSecretKey,
            images: { etcd: s.etcd.image, minio: s.minio.image, milvus: s.milvus.image },
            // Public: what clients trust to reach Milvus over TLS (and the name to check, for a generated one).
            ...(s.milvus.tls ? { tlsCertificate: milvus.tls.apply((t) => t.caPem), tlsServerName: milvus.tls.apply((t) => t.serverName) } : {}),
            gpu: s.milvus.gpu === undefined ? "none" : s.milvus.gpu === "all" ? "all" : s.milvus.gpu.join(","),
            hostReport: host.report,
            // Where `npm run status -- --stack` finds the containers, and which of them are this deployment's.
            dockerHost: host.uri.apply((u) => u ?? "local"),
            namePrefix: s.namePrefix,
            ...(watcher ? { monitoring: monitoringOutputs(watcher, monitoring?.grafana !== undefined) } : {}),
            ...(backup && milvus.backup
                ? {
                      backup: {
                          container: milvus.backup.containerName,
                          // Where `npm run backup` / `restore` reach the container: docker -H <this>.
                          dockerHost: host.uri.apply((u) => u ?? "local"),
                          target: `${backup.target.tls ? "https" : "http"}://${backup.target.host}:${backup.target.port}/${backup.target.bucket}/${backup.target.prefix}`,
                          schedule: backup.schedule ?? "on demand",
                          retain: backup.retain,
                          beforeReplace: backup.beforeReplace,
                          records: `${milvus.backup.stateDir}/runs.jsonl`,
                          ...(backup.restoreFrom ? { restoredFrom: backup.restoreFrom } : {}),
                      },
                  }
                : {}),
            ...(rental
                ? {
                      rental: {
                          orderId: rental.order.orderId,
                          pricePerDay: rental.pricePerDay,
                          gpu: rental.gpu,
                          ssh: pulumi.interpolate`${rental.sshHost}:${rental.sshPort}`,
                          // When the rental ends by itself (its maximum length), and how a spot bid stands.
                          expiresAt: rental.expiresAt.apply((t) => (t === undefined ? "unknown" : new Date(t * 1000).toISOString())),
                          bidState: rental.bidState.apply((b) => b ?? "on-demand"),
                      },
                  }
                : {}),
        },
    };
}

/** Where Prometheus and Grafana answer (on the Docker host), Grafana's login (the password a secret), and the containers. */
function monitoringOutputs(watcher: MilvusMonitoring, grafana: boolean) {
    return {
        prometheusUrl: watcher.prometheusUrl,
        ...(grafana ? { grafanaUrl: watcher.grafanaUrl, grafanaUser: "admin", grafanaAdminPassword: watcher.grafanaAdminPassword } : {}),
        containers: watcher.containerNames,
    };
}

/** Milvus on a rental as clients reach it: through the order's public port mapping, once Milvus is healthy. */
function throughRental(milvus: MilvusStandalone, rental: CloreDockerHost): MilvusEndpoint {
    const afterReady = (mapped: pulumi.Output<string> | undefined, own: pulumi.Output<string>) =>
        mapped ? pulumi.all([mapped, milvus.ready]).apply(([m]) => m) : own;
    return {
        address: afterReady(rental.milvusAddress, milvus.address),
        healthUrl: afterReady(rental.milvusHealthUrl, milvus.healthUrl),
        username: milvus.username,
        rootPassword: milvus.rootPassword,
        token: milvus.token,
        tls: milvus.tls,
    };
}

export function requireSecret<T>(value: T | undefined, key: string, forWhat: string): T {
    if (value === undefined) {
        throw new Error(`milvus-gpu:${key} is not set; ${forWhat} needs it: pulumi config set --secret ${key} <value>`);
    }
    return value;
}
