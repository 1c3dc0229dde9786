import * as pulumi from "@pulumi/pulumi";
import type { CloreCurrency, CloreOrderType, ClorePortKind } from "./api";
import { cloreOrderProvider, RentedServerSnapshot } from "./orderProvider";
import type { CloreRentalArgs } from "./rentalArgs";
import type { SpotBidState } from "./spotBid";

/** An order: what to rent and how to pay (shared with the components that rent), and what runs there. */
export interface CloreOrderArgs extends CloreRentalArgs {
    image: pulumi.Input<string>;
    /** Container port -> "tcp" | "http", e.g. { "22": "tcp", "19530": "tcp" }. */
    ports: pulumi.Input<Record<string, ClorePortKind>>;
    env?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    command?: pulumi.Input<string>;
    sshPublicKey?: pulumi.Input<string>;
    /** Always stored as a secret. */
    sshPassword?: pulumi.Input<string>;
}

/**
 * A rented Clore.ai server running one image: `pulumi up` places the order and waits for
 * its public endpoint, `pulumi refresh` notices when the rental ended, `pulumi destroy`
 * cancels it. Changing the image, ports, env or command rents afresh.
 */
export class CloreOrder extends pulumi.dynamic.Resource {
    declare readonly orderId: pulumi.Output<number>;
    declare readonly serverId: pulumi.Output<number>;
    declare readonly publicHost: pulumi.Output<string>;
    /** Container port -> public port for each requested tcp port. */
    declare readonly publicPorts: pulumi.Output<Record<string, number>>;
    declare readonly sshPort: pulumi.Output<number | undefined>;
    declare readonly pricePerDay: pulumi.Output<number>;
    declare readonly currency: pulumi.Output<CloreCurrency>;
    declare readonly orderType: pulumi.Output<CloreOrderType>;
    declare readonly gpu: pulumi.Output<string>;
    declare readonly gpuCount: pulumi.Output<number>;
    declare readonly gpuMemoryGb: pulumi.Output<number>;
    declare readonly server: pulumi.Output<RentedServerSnapshot>;
    declare readonly image: pulumi.Output<string>;
    /** Unix seconds of the order's creation. */
    declare readonly createdAt: pulumi.Output<number | undefined>;
    /** Maximum rental length in hours (`mrl`). */
    declare readonly rentalHours: pulumi.Output<number | undefined>;
    /** createdAt + rentalHours: the rental ends by then at the latest (Unix seconds). */
    declare readonly expiresAt: pulumi.Output<number | undefined>;
    /** Spot orders: "active", "not active", "outbid" or "unknown". */
    declare readonly bidState: pulumi.Output<SpotBidState | undefined>;
    /** What a refresh found wrong with the rental (outbid), and what to do. */
    declare readonly notice: pulumi.Output<string | undefined>;
    /** Secret. */
    declare readonly apiKey: pulumi.Output<string>;

    constructor(name: string, args: CloreOrderArgs, opts?: pulumi.CustomResourceOptions) {
        const props = {
            apiKey: pulumi.secret(args.apiKey),
            api: args.api ?? {},
            filters: args.filters ?? {},
            orderType: args.orderType ?? "on-demand",
            currency: args.currency ?? "CLORE-Blockchain",
            spotPrice: args.spotPrice,
            maxSpotPrice: args.maxSpotPrice,
            image: args.image,
            ports: args.ports,
            env: args.env ?? {},
            command: args.command,
            sshPublicKey: args.sshPublicKey,
            sshPassword: args.sshPassword === undefined ? undefined : pulumi.secret(args.sshPassword),
            readyTimeoutSeconds: args.readyTimeoutSeconds,
            pollIntervalSeconds: args.pollIntervalSeconds,
            // Outputs the provider fills in; declared so they appear on this object.
            orderId: undefined,
            serverId: undefined,
            publicHost: undefined,
            publicPorts: undefined,
            sshPort: undefined,
            pricePerDay: undefined,
            gpu: undefined,
            gpuCount: undefined,
            gpuMemoryGb: undefined,
            server: undefined,
            createdAt: undefined,
            rentalHours: undefined,
            expiresAt: undefined,
            bidState: undefined,
            notice: undefined,
            ended: undefined,
        };
        super(cloreOrderProvider, name, props, pulumi.mergeOptions(opts, { additionalSecretOutputs: ["apiKey", "sshPassword"] }), "clore", "CloreOrder");
    }
}
