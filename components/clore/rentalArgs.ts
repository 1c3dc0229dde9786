import * as pulumi from "@pulumi/pulumi";
import type { CloreCurrency, CloreOrderType } from "./api";
import type { CloreClientSettings } from "./client";
import type { CloreHostSettings } from "./config";
import type { ServerFilters } from "./selection";

/** What to rent and how to pay: shared by both ways of using a Clore.ai server. */
export interface CloreRentalArgs {
    /** The Clore.ai API key (a secret; stored only as a secret). */
    apiKey: pulumi.Input<string>;
    filters?: pulumi.Input<ServerFilters>;
    /** Default "on-demand". */
    orderType?: pulumi.Input<CloreOrderType>;
    /** Default "CLORE-Blockchain". */
    currency?: pulumi.Input<CloreCurrency>;
    /** A fixed spot bid per day; otherwise the bid goes just above the highest competing one. */
    spotPrice?: pulumi.Input<number>;
    /** Spot: the most a computed bid may be (default filters.maxPricePerDay). */
    maxSpotPrice?: pulumi.Input<number>;
    /** Base URL (default https://api.clore.ai/v1), spacing, retries, timeouts. */
    api?: pulumi.Input<CloreClientSettings>;
    /** How long `pulumi up` waits for the order's public endpoint (default 900 s). */
    readyTimeoutSeconds?: pulumi.Input<number>;
    pollIntervalSeconds?: pulumi.Input<number>;
}

/** The seed's GPU environment for the rented container. */
export const NVIDIA_ENV: Readonly<Record<string, string>> = {
    NVIDIA_VISIBLE_DEVICES: "all",
    NVIDIA_DRIVER_CAPABILITIES: "compute,utility",
};

/** The rental part of a component's args (which also hold what the component runs), for its order. */
export function rentalOrderArgs(args: CloreRentalArgs): CloreRentalArgs {
    // Every key listed: the mapped type makes the compiler refuse this when CloreRentalArgs gains one.
    const rental: { [K in keyof Required<CloreRentalArgs>]: CloreRentalArgs[K] } = {
        apiKey: args.apiKey,
        filters: args.filters,
        orderType: args.orderType,
        currency: args.currency,
        spotPrice: args.spotPrice,
        maxSpotPrice: args.maxSpotPrice,
        api: args.api,
        readyTimeoutSeconds: args.readyTimeoutSeconds,
        pollIntervalSeconds: args.pollIntervalSeconds,
    };
    return rental;
}

/** Public port of a container port of the order, failing loudly if Clore did not map it. */
export function publicPortOf(publicPorts: pulumi.Output<Record<string, number>>, port: number): pulumi.Output<number> {
    return publicPorts.apply((ports) => {
        const p = ports?.[String(port)];
        if (p === undefined) throw new Error(`the Clore.ai order has no public port for container port ${port}`);
        return p;
    });
}

/** The rental part of a validated `host: {type: clore}` stack config, with the API key. */
export function rentalArgsFromConfig(
    config: Pick<CloreHostSettings, "filters" | "orderType" | "currency" | "spotPrice" | "maxSpotPrice" | "apiUrl" | "readyTimeoutSeconds" | "pollIntervalSeconds">,
    apiKey: pulumi.Input<string>,
): CloreRentalArgs {
    return {
        apiKey,
        filters: config.filters,
        orderType: config.orderType,
        currency: config.currency,
        spotPrice: config.spotPrice,
        maxSpotPrice: config.maxSpotPrice,
        api: { baseUrl: config.apiUrl },
        readyTimeoutSeconds: config.readyTimeoutSeconds,
        pollIntervalSeconds: config.pollIntervalSeconds,
    };
}
