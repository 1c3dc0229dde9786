import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ContainerSpec } from "./containerSpec";
import { dockerContainerArgs, SecretResolver } from "./dockerArgs";

export interface ServiceContainerArgs {
    spec: ContainerSpec;
    network: pulumi.Input<string>;
    resolveSecret: SecretResolver;
    waitTimeoutSeconds: number;
    /** Containers this one needs healthy first. */
    after?: pulumi.Resource[];
}

/**
 * Pulls a pinned image and runs one spec'd container on it. Shared by Etcd, Minio,
 * Milvus and Attu so every service gets the same healthcheck/limit/volume handling.
 */
export function createServiceContainer(
    name: string,
    args: ServiceContainerArgs,
    parent: pulumi.Resource,
): { image: docker.RemoteImage; container: docker.Container } {
    const image = new docker.RemoteImage(
        `${name}-image`,
        // keepLocally: a failed update must not leave the host without the image it runs.
        { name: args.spec.image, keepLocally: true },
        { parent },
    );
    const container = new docker.Container(
        name,
        dockerContainerArgs(args.spec, args.resolveSecret, args.network, image.imageId, args.waitTimeoutSeconds),
        {
            parent,
            dependsOn: args.after,
            // Fixed container names: the old container must go before its replacement starts.
            // Data lives on host bind mounts, so it survives the replacement.
            deleteBeforeReplace: true,
        },
    );
    return { image, container };
}
