// The package's public API, by room: the components, what their args and outputs are typed as,
// the parsers a program validates its own config with, the pure builders the README names, and
// the errors a caller may catch. Everything else is internal and may change without notice.

// Bad input, whatever the room: field, value given and what is allowed.
export { ConfigError, ConfigErrors } from "./errors";

// What every Milvus component offers: enough to connect an SDK and to hand to MilvusSchema.
export type { MilvusEndpoint, MilvusTls } from "./endpoint";

export { MilvusCredentials } from "./credentials";
export type { MilvusCredentialsArgs } from "./credentials";

// Hosts: a Docker daemon, here or over SSH.
export { DockerHost } from "./host/dockerHost";
export type { DockerHostArgs, SshConnectionArgs } from "./host/dockerHost";
export type { DockerHostTarget, HostShell, HostScriptArgs } from "./host/hostShell";
export { parseDockerHostSettings } from "./host/hostConfig";
export type { DockerHostSettings, LocalDockerHostSettings, SshDockerHostSettings } from "./host/hostConfig";

// Clore.ai rentals: a Docker host on a rented server, or Milvus run as the order itself.
export { CloreDockerHost } from "./clore/cloreDockerHost";
export type { CloreDockerHostArgs } from "./clore/cloreDockerHost";
export { CloreNativeMilvus } from "./clore/cloreNativeMilvus";
export type { CloreNativeMilvusArgs } from "./clore/cloreNativeMilvus";
export { CloreOrder } from "./clore/cloreOrder";
export type { CloreOrderArgs } from "./clore/cloreOrder";
export type { CloreRentalArgs } from "./clore/rentalArgs";
export { parseCloreHostSettings } from "./clore/config";
export type { CloreHostSettings } from "./clore/config";
export { CloreApiError } from "./clore/errors";

// Milvus standalone on a Docker host: etcd, MinIO, Milvus (and Attu).
export { MilvusStandalone } from "./standalone/milvusStandalone";
export type { MilvusStandaloneArgs, MilvusStandaloneOptions, PublishArg } from "./standalone/milvusStandalone";
export { Etcd } from "./standalone/etcd";
export type { EtcdArgs, StandalonePartOptions } from "./standalone/etcd";
export { Minio } from "./standalone/minio";
export type { MinioArgs } from "./standalone/minio";
export { parseStandaloneSettings } from "./standalone/settings";
export type { StandaloneArgs, StandaloneSettings, EtcdSettings, MinioSettings, MilvusSettings, AttuSettings, PublishedPort, GpuDevices, RestartPolicy } from "./standalone/settings";
export { etcdContainerSpec, minioContainerSpec, milvusContainerSpec, attuContainerSpec } from "./standalone/specs";
export type { ContainerSpec } from "./standalone/containerSpec";
export { composeDocument } from "./standalone/compose";
export type { ComposeDocument } from "./standalone/compose";
export { DEFAULT_RELEASE, RELEASE_SETS } from "./standalone/releases";
export type { ReleaseSet } from "./standalone/releases";

// Backups (the `backup` args of MilvusStandalone and MilvusCluster).
export { parseBackupSettings } from "./backup/config";
export type { BackupArgs, BackupSettings, BackupTarget } from "./backup/config";

// Monitoring beside a standalone deployment: Prometheus with alert rules, Grafana, exporters.
export { MilvusMonitoring } from "./monitoring/milvusMonitoring";
export type { MilvusMonitoringArgs, MilvusMonitoringOptions } from "./monitoring/milvusMonitoring";
export { parseMonitoringSettings } from "./monitoring/config";
export type { MonitoringArgs, MonitoringSettings } from "./monitoring/config";
export { monitoredDeployment } from "./monitoring/deployment";
export type { MonitoredDeployment } from "./monitoring/deployment";
export { monitoringContainerSpecs } from "./monitoring/specs";

// Milvus cluster on Kubernetes through the official Helm chart.
export { MilvusCluster } from "./cluster/milvusCluster";
export type { MilvusClusterArgs, MilvusClusterOptions } from "./cluster/milvusCluster";
export { parseClusterSettings } from "./cluster/config";
export type { ClusterSettings } from "./cluster/config";
export type { ClusterArgs } from "./cluster/clusterArgs";
export { milvusClusterValues } from "./cluster/values";

// The schema step: declared collections, indexes and users, and the proof that search works.
export {
    MilvusSchema,
    parseSchemaSettings,
    parseVerifySettings,
    specCapabilityProblems,
    MilvusAccessError,
    MilvusUnavailableError,
    SchemaConflictError,
    UnsupportedByServerError,
    VerificationFailedError,
} from "./schema";
export type { MilvusSchemaArgs, SchemaSettings, VerifySettings, SchemaArgs, VerifyArgs, SchemaReport } from "./schema";
