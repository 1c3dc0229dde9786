import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { MilvusEndpoint, MilvusTls } from "../endpoint";
import { CloreOrder } from "./cloreOrder";
import { MILVUS_GRPC_PORT, MILVUS_HTTP_PORT, nativeMilvusOrderSpec } from "./nativeOrderSpec";
import { CloreRentalArgs, publicPortOf, rentalOrderArgs } from "./rentalArgs";

export interface CloreNativeMilvusArgs extends CloreRentalArgs {
    /** Milvus release tag, default "v3.0.2"; the order runs milvusdb/milvus:<version>-gpu. */
    version?: string;
    /** Root password; generated when omitted. Always a secret. */
    rootPassword?: pulumi.Input<string>;
    /** Extra environment (Milvus config overrides such as QUOTAANDLIMITS_ENABLED). */
    env?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * Milvus run directly as the Clore.ai order's container (no Docker inside needed): one
 * container with embedded etcd and local storage, 19530 and 9091 mapped to public ports.
 * `address` and `healthUrl` go to the post-deploy step, which checks Milvus through them.
 */
export class CloreNativeMilvus extends pulumi.ComponentResource implements MilvusEndpoint {
    readonly order: CloreOrder;
    /** `host:port` of the public gRPC endpoint. */
    readonly address: pulumi.Output<string>;
    /** `http://host:port/healthz` through the public mapping of 9091. */
    readonly healthUrl: pulumi.Output<string>;
    readonly username: pulumi.Output<string>;
    /** Secret. */
    readonly rootPassword: pulumi.Output<string>;
    /** Secret `root:<password>` for SDKs. */
    readonly token: pulumi.Output<string>;
    /** Plaintext gRPC: the order's image runs Milvus without its own TLS. */
    readonly tls: pulumi.Output<MilvusTls>;
    readonly image: string;
    readonly pricePerDay: pulumi.Output<number>;
    readonly gpu: pulumi.Output<string>;
    /** When the rental ends at the latest (creation + the server's mrl hours), Unix seconds. */
    readonly expiresAt: pulumi.Output<number | undefined>;
    /** Spot orders: how the bid stands ("active", "not active", "outbid", "unknown"). */
    readonly bidState: pulumi.Output<string | undefined>;

    constructor(name: string, args: CloreNativeMilvusArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before anything is registered, so a refused version leaves nothing half-made.
        const spec = nativeMilvusOrderSpec(args.version);
        super("milvus-gpu:index:CloreNativeMilvus", name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: "milvus-gpu:host:CloreNativeMilvus" }] });
        this.image = spec.image;
        this.rootPassword = pulumi.secret(
            args.rootPassword ?? new random.RandomPassword(`${name}-root-password`, { length: 24, special: false }, { parent: this }).result,
        );
        // Milvus reads config overrides from the environment; this sets the root password at first start.
        const env = pulumi.secret(
            pulumi.all([pulumi.output(args.env ?? {}), this.rootPassword]).apply(([extra, password]) => ({
                // The package's settings win: extra env must never switch authentication off.
                ...extra,
                ...spec.env,
                COMMON_SECURITY_DEFAULTROOTPASSWORD: password,
            })),
        );
        this.order = new CloreOrder(
            `${name}-order`,
            { ...rentalOrderArgs(args), image: spec.image, command: spec.command, ports: spec.ports, env },
            { parent: this },
        );
        const host = this.order.publicHost;
        const grpc = publicPortOf(this.order.publicPorts, MILVUS_GRPC_PORT);
        const http = publicPortOf(this.order.publicPorts, MILVUS_HTTP_PORT);
        this.address = pulumi.interpolate`${host}:${grpc}`;
        this.healthUrl = pulumi.interpolate`http://${host}:${http}/healthz`;
        this.username = pulumi.output("root");
        this.token = pulumi.secret(pulumi.interpolate`root:${this.rootPassword}`);
        this.tls = pulumi.output({ enabled: false });
        this.pricePerDay = this.order.pricePerDay;
        this.gpu = this.order.gpu;
        this.expiresAt = this.order.expiresAt;
        this.bidState = this.order.bidState;
        this.registerOutputs({
            address: this.address,
            healthUrl: this.healthUrl,
            username: this.username,
            rootPassword: this.rootPassword,
            token: this.token,
            tls: this.tls,
            pricePerDay: this.pricePerDay,
            gpu: this.gpu,
            expiresAt: this.expiresAt,
            bidState: this.bidState,
        });
    }
}
