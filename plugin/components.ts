// The components this package serves to other languages: the very classes of ../components.
import type { ComponentResourceConstructor } from "@pulumi/pulumi/provider/experimental/provider";
import { CloreDockerHost, CloreNativeMilvus, DockerHost, Etcd, MilvusCluster, MilvusMonitoring, MilvusSchema, MilvusStandalone, Minio } from "../components";

export const PACKAGE_NAME = "milvus-gpu";

export const SERVED_COMPONENTS: readonly ComponentResourceConstructor[] = [
    DockerHost,
    MilvusStandalone,
    Etcd,
    Minio,
    MilvusCluster,
    MilvusSchema,
    CloreDockerHost,
    CloreNativeMilvus,
    MilvusMonitoring,
];
