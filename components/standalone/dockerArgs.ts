import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { containerLabels, ContainerSpec, deployedMemory, isSecretRef, SecretName } from "./containerSpec";
import { goDuration } from "./goDuration";

export type SecretResolver = (name: SecretName) => pulumi.Input<string>;

/** Docker's `--gpus` value for a device request. */
export function dockerGpus(gpu: ContainerSpec["gpu"]): string | undefined {
    if (gpu === undefined) return undefined;
    return gpu === "all" ? "all" : `device=${gpu.join(",")}`;
}

/**
 * Maps a spec onto the Docker provider's container arguments. Secrets are resolved to
 * Pulumi secret Outputs, so the env list (and the state holding it) stays encrypted.
 */
export function dockerContainerArgs(
    spec: ContainerSpec,
    resolveSecret: SecretResolver,
    network: pulumi.Input<string>,
    image: pulumi.Input<string>,
    /** Have the provider wait this long for health; undefined when a health gate waits instead. */
    waitTimeoutSeconds: number | undefined,
): docker.ContainerArgs {
    // One Output per variable, each secret one a secret: during preview the known ones stay
    // visible (to policy checks) while generated ones are still unknown, and the state keeps
    // every credential encrypted.
    const envs = Object.entries(spec.env).map(([key, value]) =>
        isSecretRef(value) ? pulumi.secret(pulumi.output(resolveSecret(value.secret)).apply((v) => `${key}=${v}`)) : pulumi.output(`${key}=${value}`),
    );
    const { memoryMb, memorySwapMb } = deployedMemory(spec);
    return {
        name: spec.containerName,
        image,
        entrypoints: spec.entrypoint,
        command: spec.command,
        uploads: spec.files?.map((f) => ({ file: f.path, content: f.content, ...(f.executable ? { executable: true } : {}) })),
        envs,
        healthcheck: {
            tests: spec.healthcheck.test,
            interval: goDuration(spec.healthcheck.intervalSeconds),
            timeout: goDuration(spec.healthcheck.timeoutSeconds),
            retries: spec.healthcheck.retries,
            startPeriod: spec.healthcheck.startPeriodSeconds !== undefined ? goDuration(spec.healthcheck.startPeriodSeconds) : undefined,
        },
        memory: memoryMb,
        memorySwap: memorySwapMb,
        gpus: dockerGpus(spec.gpu),
        ports: spec.ports.map((p) => ({ internal: p.container, external: p.published.port, ip: p.published.host })),
        volumes: spec.volumes.map((v) => ({ hostPath: v.hostPath, containerPath: v.containerPath, ...(v.readOnly ? { readOnly: true } : {}) })),
        labels: Object.entries(containerLabels(spec)).map(([label, value]) => ({ label, value })),
        securityOpts: spec.securityOpts.length ? spec.securityOpts : undefined,
        restart: spec.restart,
        ...(spec.user ? { user: spec.user } : {}),
        networksAdvanced: [{ name: network, aliases: [spec.service] }],
        // Without a health gate, the provider returns only when Docker reports the container healthy.
        wait: waitTimeoutSeconds !== undefined,
        waitTimeout: waitTimeoutSeconds,
        // Data is on host bind mounts; never let a replacement remove volumes.
        removeVolumes: false,
        mustRun: true,
    };
}
