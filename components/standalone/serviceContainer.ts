import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { HostShell } from "../host/hostShell";
import { ContainerSpec } from "./containerSpec";
import { dockerContainerArgs, SecretResolver } from "./dockerArgs";
import { healthGateScript } from "./healthGate";

export interface ServiceContainerArgs {
    spec: ContainerSpec;
    network: pulumi.Input<string>;
    resolveSecret: SecretResolver;
    waitTimeoutSeconds: number;
    /** What must be ready first (other services' health gates or containers). */
    after?: pulumi.Resource[];
    /**
     * Where to run the health gate (the Docker host). Without it the provider's own wait is
     * used, which fails with a bare "not healthy" and no detail.
     */
    host?: HostShell;
}

export interface ServiceContainer {
    image: docker.RemoteImage;
    container: docker.Container;
    /** Done once Docker reports the container healthy: the health gate, or the container itself. */
    ready: pulumi.Resource;
    /** Resolves once the container is healthy. */
    readyId: pulumi.Output<string>;
}

/**
 * Pulls a pinned image, runs one spec'd container on it and waits for it to be healthy.
 * Shared by Etcd, Minio, Milvus and Attu so every service gets the same healthcheck/limit/
 * volume handling.
 */
export function createServiceContainer(name: string, args: ServiceContainerArgs, parent: pulumi.Resource): ServiceContainer {
    const image = new docker.RemoteImage(
        `${name}-image`,
        // keepLocally: a failed update must not leave the host without the image it runs.
        { name: args.spec.image, keepLocally: true },
        { parent },
    );
    const container = new docker.Container(
        name,
        dockerContainerArgs(args.spec, args.resolveSecret, args.network, image.imageId, args.host ? undefined : args.waitTimeoutSeconds),
        {
            parent,
            dependsOn: args.after,
            // Fixed container names: the old container must go before its replacement starts.
            // Data lives on host bind mounts, so it survives the replacement.
            deleteBeforeReplace: true,
        },
    );
    if (!args.host) return { image, container, ready: container, readyId: container.id };
    const gate = args.host.script(
        `${name}-healthy`,
        {
            // The script goes on stdin so a failure shows its message, not the script's text.
            create: "/bin/sh -s",
            stdin: healthGateScript({ containerName: args.spec.containerName, timeoutSeconds: args.waitTimeoutSeconds }),
            // A new container (replacement) is waited for again.
            triggers: [container.id],
        },
        { parent, dependsOn: [container] },
    );
    return { image, container, ready: gate, readyId: pulumi.all([gate.id, container.id]).apply(([, id]) => id) };
}
