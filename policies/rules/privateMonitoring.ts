import { ROLE_LABEL } from "../../components/standalone/containerSpec";
import { asArray, envMap, labelMap, openPorts, resourceName, TYPES } from "../inspect";
import { PolicyRule } from "../view";

type Obj = Record<string, unknown>;

/** Prometheus or Grafana, by the role label monitoring puts on them, else by image repository. */
function monitoringKind(props: Obj): "prometheus" | "grafana" | undefined {
    const role = labelMap(props.labels)[ROLE_LABEL];
    if (role === "prometheus" || role === "grafana") return role;
    const image = typeof props.image === "string" ? props.image : "";
    const last = image.split("@")[0].replace(/:[^/]*$/, "").toLowerCase().split("/").pop() ?? "";
    if (last === "prometheus") return "prometheus";
    if (/^grafana(-oss|-enterprise)?$/.test(last)) return "grafana";
    return undefined;
}

/** Prometheus has no login of its own; a web config file (basic auth or TLS client certificates) is how it gets one. */
function prometheusAuthGap(props: Obj): string | undefined {
    const args = [...asArray(props.entrypoints), ...asArray(props.command)].map(String);
    return args.some((a) => a.startsWith("--web.config.file")) ? undefined : "without --web.config.file (no authentication)";
}

/** Grafana logs in, unless anonymous access is on or the admin password is the default "admin". */
function grafanaAuthGap(props: Obj): string | undefined {
    const env = envMap(props.envs);
    if ((env.GF_AUTH_ANONYMOUS_ENABLED ?? "").toLowerCase() === "true") return "with anonymous access on (GF_AUTH_ANONYMOUS_ENABLED=true)";
    if ((env.GF_AUTH_DISABLE_LOGIN_FORM ?? "").toLowerCase() === "true" && !("GF_AUTH_GENERIC_OAUTH_ENABLED" in env)) return "with the login form disabled";
    // An env list still unknown at preview (a generated secret) is not judged.
    if (!("GF_SECURITY_ADMIN_PASSWORD" in env) && !("GF_SECURITY_ADMIN_PASSWORD__FILE" in env) && asArray(props.envs).every((e) => typeof e === "string"))
        return 'with the default admin password ("admin")';
    if (env.GF_SECURITY_ADMIN_PASSWORD === "admin") return 'with the admin password "admin"';
    return undefined;
}

export const privateMonitoring: PolicyRule = {
    name: "private-monitoring",
    description: "Prometheus and Grafana are not published beyond localhost without authentication (Prometheus's API shows every metric and label; an open Grafana shows and edits dashboards).",
    fix: 'Keep monitoring.prometheus.publish and monitoring.grafana.publish on "127.0.0.1" (the default) and open them through an SSH tunnel (ssh -L 3000:127.0.0.1:3000 <host>); Grafana published elsewhere keeps its generated admin password and anonymous access off; Prometheus needs a --web.config.file with basic_auth_users.',
    enforcementLevel: "mandatory",
    validateResource: (r, report) => {
        if (r.type !== TYPES.container) return;
        const kind = monitoringKind(r.props);
        if (!kind) return;
        const gap = kind === "prometheus" ? prometheusAuthGap(r.props) : grafanaAuthGap(r.props);
        if (!gap) return;
        for (const p of openPorts(r.props)) {
            report(`${kind === "prometheus" ? "Prometheus" : "Grafana"} container ${resourceName(r)} publishes port ${p.internal} on ${p.ip}:${p.external ?? p.internal} ${gap}`);
        }
    },
};
