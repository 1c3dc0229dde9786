import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { SecretResolver } from "./dockerArgs";
import type { HostShell } from "../host/hostShell";
import { createServiceContainer } from "./serviceContainer";
import { StandaloneSettings } from "./settings";
import { etcdContainerSpec } from "./specs";

export interface EtcdArgs {
    /** Validated deployment settings (see parseStandaloneSettings); they decide the container's shape. */
    settings: StandaloneSettings;
    network: pulumi.Input<string>;
    /** The Docker host, for the health gate (see createServiceContainer). */
    host?: HostShell;
}

/** etcd, Milvus's metadata store, on the deployment's private network as `etcd:2379`. */
export class Etcd extends pulumi.ComponentResource {
    readonly container: docker.Container;
    /** Done once the container is healthy. */
    readonly ready: pulumi.Resource;
    /** Address other containers on the network use. */
    readonly endpoint: pulumi.Output<string>;

    constructor(name: string, args: EtcdArgs, opts?: pulumi.ComponentResourceOptions) {
        super("milvus-gpu:standalone:Etcd", name, {}, opts);
        const noSecrets: SecretResolver = (s) => {
            throw new Error(`etcd has no secret ${s}`);
        };
        const { container, ready } = createServiceContainer(
            `${name}-etcd`,
            { spec: etcdContainerSpec(args.settings), network: args.network, resolveSecret: noSecrets, waitTimeoutSeconds: args.settings.waitTimeoutSeconds, host: args.host },
            this,
        );
        this.container = container;
        this.ready = ready;
        this.endpoint = pulumi.output("etcd:2379");
        this.registerOutputs({ endpoint: this.endpoint });
    }
}
