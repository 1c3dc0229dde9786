import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ContainerSpec, SecretName } from "../standalone/containerSpec";
import { dockerContainerArgs } from "../standalone/dockerArgs";
import { alertRulesYaml } from "./alertRules";
import { MonitoringSettings } from "./config";
import { MonitoredDeployment } from "./deployment";
import { minioMetricsToken } from "./minioMetricsToken";
import { PROMETHEUS_RULES_PATH } from "./paths";
import { MonitoringSecretName, monitoringContainerSpecs } from "./specs";

export interface MilvusMonitoringArgs {
    /** The deployment watched (monitoredDeployment(settings, backup) gives it). */
    deployment: MonitoredDeployment;
    /** The parsed `milvus-gpu:monitoring` block (enabled): parseMonitoringSettings gives it. */
    settings: MonitoringSettings;
    /** The deployment's private Docker network (Prometheus reaches Milvus, etcd and MinIO by name there). */
    network: pulumi.Input<string>;
    /** The deployment's MinIO keys: the metrics token is signed with them. */
    minioAccessKey: pulumi.Input<string>;
    minioSecretKey: pulumi.Input<string>;
    /** When the Clore order ends (ISO time); known only after the order exists. */
    rentalExpiresAt?: pulumi.Input<string | undefined>;
    /** Start after these (the Milvus health gate). */
    after?: pulumi.Input<pulumi.Resource>[];
}

/** Prometheus, Grafana and the exporters beside a standalone deployment, on its network. */
export class MilvusMonitoring extends pulumi.ComponentResource {
    /** Grafana's generated admin password (user "admin"); undefined output when Grafana is off. */
    public readonly grafanaAdminPassword: pulumi.Output<string | undefined>;
    public readonly prometheusUrl: pulumi.Output<string | undefined>;
    public readonly grafanaUrl: pulumi.Output<string | undefined>;
    public readonly containerNames: pulumi.Output<string[]>;

    constructor(name: string, args: MilvusMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("milvus-gpu:index:MilvusMonitoring", name, {}, opts);
        const { deployment: d, settings: m } = args;
        const specs = monitoringContainerSpecs(d, m);

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
                { parent: this, dependsOn: args.after, deleteBeforeReplace: true },
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
