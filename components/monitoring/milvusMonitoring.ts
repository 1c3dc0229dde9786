import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ConfigError } from "../errors";
import { ContainerSpec, SecretName } from "../standalone/containerSpec";
import { dockerContainerArgs } from "../standalone/dockerArgs";
import { alertRulesYaml } from "./alertRules";
import { MonitoringArgs, MonitoringSettings, parseMonitoringSettings } from "./config";
import { MonitoredDeployment, parseMonitoredDeployment } from "./deployment";
import { minioMetricsToken } from "./minioMetricsToken";
import { PROMETHEUS_RULES_PATH } from "./paths";
import { MonitoringSecretName, monitoringContainerSpecs } from "./specs";

export interface MilvusMonitoringArgs {
    /**
     * The deployment watched, as plain values: its container names, memory limits, data directory,
     * GPUs and backup schedule (monitoredDeployment(settings, backup) gives it for a MilvusStandalone).
     */
    deployment: MonitoredDeployment;
    /**
     * The `milvus-gpu:monitoring` block as a stack file holds it (images, memory, where Prometheus and
     * Grafana are published, alert thresholds); `enabled` may be left out. Absent: every default.
     */
    monitoring?: MonitoringArgs;
    /** The deployment's private Docker network (Prometheus reaches Milvus, etcd and MinIO by name there). */
    network: pulumi.Input<string>;
    /** The deployment's MinIO access key (kept secret): the metrics token is signed with it. */
    minioAccessKey: pulumi.Input<string>;
    /** The deployment's MinIO secret key (kept secret). */
    minioSecretKey: pulumi.Input<string>;
    /** When the Clore order ends (ISO time), known only after the order exists; overrides deployment.rentalExpiresAt. */
    rentalExpiresAt?: pulumi.Input<string | undefined>;
}

/** What only a TypeScript program passes: it travels with the resource options, so the args stay plain values. */
export interface MilvusMonitoringOptions extends pulumi.ComponentResourceOptions {
    /** The block already validated by parseMonitoringSettings (the stack program's path); overrides args.monitoring. */
    settings?: MonitoringSettings;
}

/**
 * Prometheus (with alert rules), Grafana and the node and GPU exporters beside a standalone
 * deployment, on its network. Give the deployment in `dependsOn` (for a MilvusStandalone: the
 * component itself), so the containers start once Milvus is healthy and the first scrapes find it up.
 */
export class MilvusMonitoring extends pulumi.ComponentResource {
    /** Grafana's generated admin password (user "admin"); undefined output when Grafana is off. */
    public readonly grafanaAdminPassword: pulumi.Output<string | undefined>;
    public readonly prometheusUrl: pulumi.Output<string | undefined>;
    public readonly grafanaUrl: pulumi.Output<string | undefined>;
    public readonly containerNames: pulumi.Output<string[]>;

    constructor(name: string, args: MilvusMonitoringArgs, options: MilvusMonitoringOptions = {}) {
        const { settings: validated, ...opts } = options;
        // Checked before anything is registered, so a refused input leaves nothing half-made.
        const d = parseMonitoredDeployment(args.deployment);
        const m = validated ?? monitoringSettings(args.monitoring);
        const specs = monitoringContainerSpecs(d, m);
        super("milvus-gpu:index:MilvusMonitoring", name, {}, opts);

        const password = m.grafana ? new random.RandomPassword(`${name}-grafana-admin`, { length: 24, special: false }, { parent: this }) : undefined;
        const token = pulumi.secret(pulumi.all([args.minioAccessKey, args.minioSecretKey]).apply(([a, s]) => minioMetricsToken(a, s)));
        const secrets: Record<MonitoringSecretName, pulumi.Input<string>> = { minioMetricsToken: token, grafanaAdminPassword: password?.result ?? "" };
        const resolveSecret = (s: SecretName): pulumi.Input<string> => {
            if (s !== "minioMetricsToken" && s !== "grafanaAdminPassword") throw new Error(`MilvusMonitoring: no monitoring container uses the secret ${s}`);
            return secrets[s];
        };
        // The rental's end is a deploy-time value: the rules file is rebuilt from it.
        const rules = pulumi.output(args.rentalExpiresAt).apply((e) => alertRulesYaml({ ...d, ...(e ? { rentalExpiresAt: e } : {}) }, m.alerts));

        const containers = specs.map((spec) => {
            const image = new docker.RemoteImage(`${name}-${spec.role}-image`, { name: spec.image, keepLocally: true }, { parent: this });
            return new docker.Container(
                `${name}-${spec.role}`,
                withRules(spec, dockerContainerArgs(spec, resolveSecret, args.network, image.imageId, undefined), rules),
                // The deployment's health gate: the component's dependsOn holds the registration of every child
                // until it is done, and is named here too so the state records what each container waits for.
                { parent: this, dependsOn: opts.dependsOn, deleteBeforeReplace: true },
            );
        });

        const published = (role: string) => specs.find((s) => s.role === role)?.ports[0]?.published;
        const url = (role: string) => {
            const p = published(role);
            return pulumi.output(p ? `http://${p.host}:${p.port}` : undefined);
        };
        this.grafanaAdminPassword = password ? pulumi.secret(password.result) : pulumi.output(undefined);
        this.prometheusUrl = url("prometheus");
        this.grafanaUrl = url("grafana");
        this.containerNames = pulumi.all(containers.map((c) => c.name));
        this.registerOutputs({
            grafanaAdminPassword: this.grafanaAdminPassword,
            prometheusUrl: this.prometheusUrl,
            grafanaUrl: this.grafanaUrl,
            containerNames: this.containerNames,
        });
    }
}

/** The user form of the block, enabled unless it says otherwise: the component exists to deploy monitoring. */
function monitoringSettings(raw: MonitoringArgs | undefined): MonitoringSettings {
    const settings = parseMonitoringSettings({ enabled: true, ...raw }, "monitoring");
    if (!settings) throw new ConfigError("monitoring.enabled", raw?.enabled, "true or unset (MilvusMonitoring deploys monitoring; to deploy none, leave the component out)");
    return settings;
}

/**
 * The rule file whose content depends on a deploy-time value (the rental's end) replaces the
 * spec's by path; without a rental both are the same text. The containers' own healthchecks
 * report (no provider wait): Prometheus's `up` and the alert rules watch them after.
 */
function withRules(spec: ContainerSpec, args: docker.ContainerArgs, rules: pulumi.Output<string>): docker.ContainerArgs {
    if (spec.role !== "prometheus") return args;
    return {
        ...args,
        uploads: spec.files?.map((f) => ({ file: f.path, content: f.path === PROMETHEUS_RULES_PATH ? rules : f.content, ...(f.executable ? { executable: true } : {}) })),
    };
}
