import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { dockerContainerArgs } from "../standalone/dockerArgs";
import { MonitoringContainerSpec, MonitoringSecretName, monitoringLabels } from "./specs";

export type MonitoringSecretResolver = (name: MonitoringSecretName) => pulumi.Input<string>;

/**
 * Docker provider arguments for a monitoring container: the standalone mapping (limits, health,
 * ports, volumes, uploads, network alias), with monitoring's own env secrets, role label and user.
 * Env and role are swapped in after, because the standalone types list only its own services.
 */
export function monitoringContainerArgs(
    spec: MonitoringContainerSpec,
    resolveSecret: MonitoringSecretResolver,
    network: pulumi.Input<string>,
    image: pulumi.Input<string>,
    /** Rule files that depend on deploy-time values (the rental's end) replace the spec's content by path. */
    fileContents: Record<string, pulumi.Input<string>> = {},
): docker.ContainerArgs {
    const { env, role: _role, user, ...rest } = spec;
    const base = dockerContainerArgs({ ...rest, role: "milvus", env: {} }, () => "", network, image, undefined);
    const envs = Object.entries(env).map(([key, value]) =>
        typeof value === "string" ? pulumi.output(`${key}=${value}`) : pulumi.secret(pulumi.output(resolveSecret(value.secret)).apply((v) => `${key}=${v}`)),
    );
    return {
        ...base,
        envs,
        labels: Object.entries(monitoringLabels(spec)).map(([label, value]) => ({ label, value })),
        uploads: spec.files?.map((f) => ({ file: f.path, content: fileContents[f.path] ?? f.content, ...(f.executable ? { executable: true } : {}) })),
        ...(user ? { user } : {}),
        // The container's own healthcheck reports; Prometheus's `up` and the alert rules watch it after.
        wait: false,
    };
}
