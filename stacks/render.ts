import { composeDocument, SECRET_PLACEHOLDERS } from "../components/standalone/compose";
import { ContainerSpec, isSecretRef } from "../components/standalone/containerSpec";
import { dockerGpus } from "../components/standalone/dockerArgs";
import { standaloneContainerSpecs } from "../components/standalone/specs";
import { StackConfig } from "./config";

export type RenderFormat = "compose" | "json";
export const RENDER_FORMATS: readonly RenderFormat[] = ["compose", "json"];

/** A container as the render shows it: what would be created, secrets redacted. */
export interface RenderedContainer {
    name: string;
    service: string;
    image: string;
    command?: string[];
    env: Record<string, string>;
    healthcheck: ContainerSpec["healthcheck"];
    memoryBytes: number;
    gpus?: string;
    ports: string[];
    volumes: string[];
    securityOpts: string[];
    restart: string;
    dependsOn: string[];
}

export function renderContainer(spec: ContainerSpec): RenderedContainer {
    return {
        name: spec.containerName,
        service: spec.service,
        image: spec.image,
        command: spec.command,
        env: Object.fromEntries(
            Object.entries(spec.env).map(([k, v]) => [k, isSecretRef(v) ? `<secret:${SECRET_PLACEHOLDERS[v.secret]}>` : v]),
        ),
        healthcheck: spec.healthcheck,
        memoryBytes: spec.memoryBytes,
        gpus: dockerGpus(spec.gpu),
        ports: spec.ports.map((p) => `${p.published.host}:${p.published.port}->${p.container}`),
        volumes: spec.volumes.map((v) => `${v.hostPath}:${v.containerPath}`),
        securityOpts: spec.securityOpts,
        restart: spec.restart,
        dependsOn: spec.dependsOn,
    };
}

/** What a stack would deploy, from the same builders the program uses: no engine, no Docker. */
export function renderStack(config: StackConfig, format: RenderFormat): unknown {
    const specs = standaloneContainerSpecs(config.standalone);
    if (format === "compose") {
        return composeDocument(`milvus-${config.stack}`, specs, `${config.standalone.namePrefix}-net`);
    }
    return {
        stack: config.stack,
        mode: config.mode,
        host: config.host,
        dataDir: config.standalone.dataDir,
        containers: specs.map(renderContainer),
    };
}
