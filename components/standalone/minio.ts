import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { createServiceContainer } from "./serviceContainer";
import { StandaloneSettings } from "./settings";
import { minioContainerSpec } from "./specs";

export interface MinioArgs {
    settings: StandaloneSettings;
    network: pulumi.Input<string>;
    accessKey: pulumi.Input<string>;
    secretKey: pulumi.Input<string>;
}

/** MinIO, Milvus's object store for segments, as `minio:9000` on the private network. */
export class Minio extends pulumi.ComponentResource {
    readonly container: docker.Container;
    readonly endpoint: pulumi.Output<string>;

    constructor(name: string, args: MinioArgs, opts?: pulumi.ComponentResourceOptions) {
        super("milvus-gpu:standalone:Minio", name, {}, opts);
        const { container } = createServiceContainer(
            `${name}-minio`,
            {
                spec: minioContainerSpec(args.settings),
                network: args.network,
                resolveSecret: (s) => (s === "minioAccessKey" ? args.accessKey : args.secretKey),
                waitTimeoutSeconds: args.settings.waitTimeoutSeconds,
            },
            this,
        );
        this.container = container;
        this.endpoint = pulumi.output("minio:9000");
        this.registerOutputs({ endpoint: this.endpoint });
    }
}
