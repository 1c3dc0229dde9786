import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { HostShell } from "../host/hostShell";
import { createServiceContainer } from "./serviceContainer";
import { StandaloneSettings } from "./settings";
import { minioContainerSpec } from "./specs";

export interface MinioArgs {
    settings: StandaloneSettings;
    network: pulumi.Input<string>;
    /** The Docker host, for the health gate (see createServiceContainer). */
    host?: HostShell;
    accessKey: pulumi.Input<string>;
    /** What must be done before MinIO starts (e.g. the credential record). */
    after?: pulumi.Resource[];
    secretKey: pulumi.Input<string>;
}

/** MinIO, Milvus's object store for segments, as `minio:9000` on the private network. */
export class Minio extends pulumi.ComponentResource {
    readonly container: docker.Container;
    /** Done once the container is healthy. */
    readonly ready: pulumi.Resource;
    readonly endpoint: pulumi.Output<string>;

    constructor(name: string, args: MinioArgs, opts?: pulumi.ComponentResourceOptions) {
        super("milvus-gpu:standalone:Minio", name, {}, opts);
        const { container, ready } = createServiceContainer(
            `${name}-minio`,
            {
                spec: minioContainerSpec(args.settings),
                network: args.network,
                resolveSecret: (s) => (s === "minioAccessKey" ? args.accessKey : args.secretKey),
                waitTimeoutSeconds: args.settings.waitTimeoutSeconds,
                host: args.host,
                after: args.after,
            },
            this,
        );
        this.container = container;
        this.ready = ready;
        this.endpoint = pulumi.output("minio:9000");
        this.registerOutputs({ endpoint: this.endpoint });
    }
}
