import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { SecretResolver } from "./dockerArgs";
import type { HostShell } from "../host/hostShell";
import { createServiceContainer } from "./serviceContainer";
import { parseStandaloneSettings, StandaloneSettings } from "./settings";
import type { MilvusStandaloneArgs } from "./milvusStandalone";
import { etcdContainerSpec } from "./specs";

/** The deployment fields that shape the etcd container (as in MilvusStandaloneArgs), and its network. */
export interface EtcdArgs extends Pick<MilvusStandaloneArgs, "namePrefix" | "dataDir" | "release" | "restart" | "waitTimeoutSeconds" | "etcd"> {
    network: pulumi.Input<string>;
}

/** TypeScript-only inputs of the standalone parts (objects, not values), given with the options. */
export interface StandalonePartOptions extends pulumi.ComponentResourceOptions {
    /** Validated deployment settings (see parseStandaloneSettings); override the args' fields. */
    settings?: StandaloneSettings;
    /** The Docker host, for the health gate (see createServiceContainer). */
    host?: HostShell;
    /** What must be done before the container starts (e.g. the credential record). */
    after?: pulumi.Resource[];
}

/** etcd, Milvus's metadata store, on the deployment's private network as `etcd:2379`. */
export class Etcd extends pulumi.ComponentResource {
    readonly container: docker.Container;
    /** Done once the container is healthy. */
    readonly ready: pulumi.Resource;
    /** Address other containers on the network use. */
    readonly endpoint: pulumi.Output<string>;

    constructor(name: string, args: EtcdArgs, options: StandalonePartOptions = {}) {
        const { settings: validated, host, after, ...opts } = options;
        super("milvus-gpu:index:Etcd", name, {}, { ...opts, aliases: [...(opts.aliases ?? []), { type: "milvus-gpu:standalone:Etcd" }] });
        const { network, ...raw } = args;
        const settings = validated ?? parseStandaloneSettings(raw);
        const noSecrets: SecretResolver = (s) => {
            throw new Error(`etcd has no secret ${s}`);
        };
        const { container, ready } = createServiceContainer(
            `${name}-etcd`,
            { spec: etcdContainerSpec(settings), network, resolveSecret: noSecrets, waitTimeoutSeconds: settings.waitTimeoutSeconds, host, after },
            this,
        );
        this.container = container;
        this.ready = ready;
        this.endpoint = pulumi.output("etcd:2379");
        this.registerOutputs({ endpoint: this.endpoint });
    }
}
