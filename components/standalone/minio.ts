import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { createServiceContainer } from "./serviceContainer";
import type { StandalonePartOptions } from "./etcd";
import type { MilvusStandaloneArgs } from "./milvusStandalone";
import { parseStandaloneSettings } from "./settings";
import { minioContainerSpec } from "./specs";

/** The deployment fields that shape the MinIO container (as in MilvusStandaloneArgs), its network and keys. */
export interface MinioArgs extends Pick<MilvusStandaloneArgs, "namePrefix" | "dataDir" | "release" | "restart" | "waitTimeoutSeconds" | "minio"> {
    network: pulumi.Input<string>;
    /** MinIO root user (a secret). */
    accessKey: pulumi.Input<string>;
    /** MinIO root password (a secret). */
    secretKey: pulumi.Input<string>;
}

/** MinIO, Milvus's object store for segments, as `minio:9000` on the private network. */
export class Minio extends pulumi.ComponentResource {
    readonly container: docker.Container;
    /** Done once the container is healthy. */
    readonly ready: pulumi.Resource;
    readonly endpoint: pulumi.Output<string>;

    constructor(name: string, args: MinioArgs, options: StandalonePartOptions = {}) {
        const { settings: validated, host, after, ...opts } = options;
        super("milvus-gpu:index:Minio", name, {}, { ...opts, aliases: [...(opts.aliases ?? []), { type: "milvus-gpu:standalone:Minio" }] });
        const { network, accessKey, secretKey, ...raw } = args;
        const settings = validated ?? parseStandaloneSettings(raw);
        const { container, ready } = createServiceContainer(
            `${name}-minio`,
            {
                spec: minioContainerSpec(settings),
                network,
                resolveSecret: (s) => (s === "minioAccessKey" ? accessKey : secretKey),
                waitTimeoutSeconds: settings.waitTimeoutSeconds,
                host,
                after,
            },
            this,
        );
        this.container = container;
        this.ready = ready;
        this.endpoint = pulumi.output("minio:9000");
        this.registerOutputs({ endpoint: this.endpoint });
    }
}
