import * as pulumi from "@pulumi/pulumi";
import type { ClorePortKind } from "./api";
import { CloreOrder } from "./cloreOrder";
import { CloreRentalArgs, NVIDIA_ENV, publicPortOf, rentalOrderArgs } from "./rentalArgs";

export interface CloreDockerHostArgs extends CloreRentalArgs {
    /** An image that runs sshd and a Docker daemon (with the NVIDIA toolkit for GPU containers). */
    image: pulumi.Input<string>;
    /** Your SSH public key; the image puts it in root's authorized_keys. */
    sshPublicKey: pulumi.Input<string>;
    /**
     * Container ports besides 22 to map publicly, for services deployed onto this Docker
     * host. Default the Milvus ports (`milvusPorts`).
     */
    ports?: number[];
    /**
     * The Docker-host ports Milvus is published on (gRPC, HTTP), default 19530 and 9091: the
     * public addresses `milvusAddress`/`milvusHealthUrl` are those of these ports.
     */
    milvusPorts?: { grpc: number; http: number };
    /** Extra environment for the host container (the NVIDIA variables are always set). */
    env?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export const DEFAULT_DOCKER_HOST_PORTS: readonly number[] = [19530, 9091];

/** Ports of the order: 22 for SSH plus the requested ones, all raw TCP. */
export function dockerHostPorts(extra: readonly number[] = DEFAULT_DOCKER_HOST_PORTS): Record<string, ClorePortKind> {
    const ports: Record<string, ClorePortKind> = { "22": "tcp" };
    for (const p of extra) {
        if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`CloreDockerHost: port ${p} is not a TCP port (1-65535)`);
        ports[String(p)] = "tcp";
    }
    return ports;
}

/**
 * A rented Clore.ai server used as a Docker host over SSH (the seed's path): the order runs
 * an SSH + Docker image, and `dockerHostUri` (`ssh://root@host:port`) is what a DockerHost
 * and MilvusStandalone deploy to. Ports published there are reachable through `publicPorts`.
 */
export class CloreDockerHost extends pulumi.ComponentResource {
    readonly order: CloreOrder;
    readonly sshHost: pulumi.Output<string>;
    readonly sshPort: pulumi.Output<number>;
    readonly user: pulumi.Output<string>;
    /** `ssh://root@<host>:<port>` for the Docker provider. */
    readonly dockerHostUri: pulumi.Output<string>;
    /** Container port -> public port. */
    readonly publicPorts: pulumi.Output<Record<string, number>>;
    readonly pricePerDay: pulumi.Output<number>;
    readonly gpu: pulumi.Output<string>;
    /** When the rental ends at the latest (creation + the server's mrl hours), Unix seconds. */
    readonly expiresAt: pulumi.Output<number | undefined>;
    /** Spot orders: how the bid stands ("active", "not active", "outbid", "unknown"). */
    readonly bidState: pulumi.Output<string | undefined>;
    /**
     * Public `host:port` of container port 19530 and `http://host:port/healthz` of 9091 (when
     * mapped): Clore maps ports to other public numbers, so use these, not `host:19530`.
     */
    readonly milvusAddress?: pulumi.Output<string>;
    readonly milvusHealthUrl?: pulumi.Output<string>;

    constructor(name: string, args: CloreDockerHostArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before anything is registered, so a bad port leaves nothing half-made.
        const milvus = args.milvusPorts ?? { grpc: DEFAULT_DOCKER_HOST_PORTS[0], http: DEFAULT_DOCKER_HOST_PORTS[1] };
        const ports = dockerHostPorts(args.ports ?? [milvus.grpc, milvus.http]);
        super("milvus-gpu:index:CloreDockerHost", name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: "milvus-gpu:host:CloreDockerHost" }] });
        const env = pulumi.output(args.env ?? {}).apply((extra) => ({ ...NVIDIA_ENV, ...extra }));
        this.order = new CloreOrder(
            `${name}-order`,
            {
                ...rentalOrderArgs(args),
                image: args.image,
                ports,
                env,
                sshPublicKey: args.sshPublicKey,
            },
            { parent: this },
        );
        this.sshHost = this.order.publicHost;
        this.sshPort = publicPortOf(this.order.publicPorts, 22);
        this.user = pulumi.output("root");
        this.dockerHostUri = pulumi.interpolate`ssh://${this.user}@${this.sshHost}:${this.sshPort}`;
        this.publicPorts = this.order.publicPorts;
        this.pricePerDay = this.order.pricePerDay;
        this.gpu = this.order.gpu;
        this.expiresAt = this.order.expiresAt;
        this.bidState = this.order.bidState;
        if (ports[String(milvus.grpc)]) this.milvusAddress = this.publicAddress(milvus.grpc);
        if (ports[String(milvus.http)]) this.milvusHealthUrl = pulumi.interpolate`http://${this.publicAddress(milvus.http)}/healthz`;
        this.registerOutputs({
            milvusAddress: this.milvusAddress,
            milvusHealthUrl: this.milvusHealthUrl,
            sshHost: this.sshHost,
            sshPort: this.sshPort,
            user: this.user,
            dockerHostUri: this.dockerHostUri,
            publicPorts: this.publicPorts,
            pricePerDay: this.pricePerDay,
            gpu: this.gpu,
            expiresAt: this.expiresAt,
            bidState: this.bidState,
        });
    }

    /** Public `host:port` through which a container port of this server is reached. */
    publicAddress(port: number): pulumi.Output<string> {
        return pulumi.interpolate`${this.sshHost}:${publicPortOf(this.publicPorts, port)}`;
    }
}
