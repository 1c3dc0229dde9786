import { asArray, at, containerService, envMap, isCloreOrder, isMilvusRelease, isObj, isUnknown, releaseAuthEnabled, releaseSetsRootPassword, resourceName, TYPES, walk } from "../inspect";
import { PolicyRule, ResourceView } from "../view";

const MINIO_DEFAULT = "minioadmin";
const MILVUS_DEFAULT_PASSWORD = "Milvus";

/** Env vars that hold MinIO keys, on the MinIO side and on the Milvus side. */
const MINIO_KEY_VARS = ["MINIO_ACCESS_KEY", "MINIO_SECRET_KEY", "MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD", "MINIO_ACCESS_KEY_ID", "MINIO_SECRET_ACCESS_KEY"];
const PASSWORD_VAR = "COMMON_SECURITY_DEFAULTROOTPASSWORD";
const AUTH_VAR = "COMMON_SECURITY_AUTHORIZATIONENABLED";

/**
 * `complete` is false while some variables are still unknown (generated secrets during
 * preview): then only the values that are known are judged, not what seems to be missing.
 */
function checkEnv(env: Record<string, string>, who: string, service: string, report: (m: string) => void, complete = true): void {
    for (const key of MINIO_KEY_VARS) {
        if (env[key] === MINIO_DEFAULT) report(`${who} sets ${key} to the well-known default "${MINIO_DEFAULT}"`);
    }
    if (env[PASSWORD_VAR] === MILVUS_DEFAULT_PASSWORD) report(`${who} sets the Milvus root password to the default "${MILVUS_DEFAULT_PASSWORD}"`);
    if (!complete) return;
    if (service === "minio") {
        const hasUser = "MINIO_ROOT_USER" in env || "MINIO_ACCESS_KEY" in env;
        const hasPassword = "MINIO_ROOT_PASSWORD" in env || "MINIO_SECRET_KEY" in env;
        if (!hasUser || !hasPassword) report(`${who} sets no MinIO keys, so MinIO runs with ${MINIO_DEFAULT}/${MINIO_DEFAULT}`);
    }
    if (service === "milvus") {
        if (!("MINIO_ACCESS_KEY_ID" in env) || !("MINIO_SECRET_ACCESS_KEY" in env)) {
            report(`${who} sets no MinIO keys for Milvus, so it connects with ${MINIO_DEFAULT}/${MINIO_DEFAULT}`);
        }
        if (env[AUTH_VAR] === "true" && !(PASSWORD_VAR in env)) {
            report(`${who} turns authentication on but keeps the default root password "${MILVUS_DEFAULT_PASSWORD}"`);
        }
    }
}

/**
 * Offline the collector knows which props were secrets; credentials outside them are plain
 * text in state. A list of `KEY=value` strings may be secret as a whole or item by item.
 */
function checkPlainText(r: ResourceView, path: string, env: Record<string, string>, report: (m: string) => void): void {
    if (r.secretPaths === undefined) return;
    const secret = (p: string) => r.secretPaths!.some((s) => s === p || p.startsWith(`${s}.`) || p.startsWith(`${s}[`));
    if (secret(path)) return;
    const items = Array.isArray(r.props[path]) ? asArray(r.props[path]) : undefined;
    const credentialVars = [...MINIO_KEY_VARS, PASSWORD_VAR].filter((k) => {
        if (!(k in env)) return false;
        if (!items) return true;
        const i = items.findIndex((e) => typeof e === "string" && e.startsWith(`${k}=`));
        return !secret(`${path}[${i}]`);
    });
    if (credentialVars.length > 0) report(`${credentialVars.join(", ")} ${credentialVars.length === 1 ? "is" : "are"} stored in plain text (${path} is not a Pulumi secret)`);
}

export const noDefaultCredentials: PolicyRule = {
    name: "no-default-credentials",
    description: "No default or plain-text credentials: MinIO never runs with minioadmin, Milvus never keeps root/Milvus, and keys are Pulumi secrets.",
    fix: "Leave the keys unset so they are generated, or set them with `pulumi config set --secret milvus-gpu:minioSecretKey ...` (likewise minioAccessKey, rootPassword).",
    enforcementLevel: "mandatory",
    validateResource: (r, report) => {
        if (r.type === TYPES.container) {
            // Variables built from generated secrets are unknown during preview; checked again at update.
            if (isUnknown(r.props.envs)) return;
            const service = containerService(r.props);
            const env = envMap(r.props.envs);
            checkEnv(env, `container ${resourceName(r)}`, service, report, !asArray(r.props.envs).some(isUnknown));
            checkPlainText(r, "envs", env, report);
            return;
        }
        if (isCloreOrder(r)) {
            if (isUnknown(r.props.env)) return;
            const env = isObj(r.props.env) ? (Object.fromEntries(Object.entries(r.props.env).map(([k, v]) => [k, String(v)])) as Record<string, string>) : {};
            checkEnv(env, "the Clore.ai order", "other", report);
            checkPlainText(r, "env", env, report);
            return;
        }
        if (isMilvusRelease(r)) {
            const values = r.props.values;
            if (isUnknown(values)) return;
            if (at(values, "minio", "enabled") !== false && at(values, "externalS3", "enabled") !== true) {
                for (const key of ["accessKey", "secretKey"]) {
                    const v = at(values, "minio", key);
                    // The chart's own default for both is minioadmin.
                    if (v === undefined || v === "" || v === MINIO_DEFAULT) report(`chart value minio.${key} is ${v === undefined || v === "" ? "unset, so the chart's default" : "the default"} "${MINIO_DEFAULT}"`);
                }
            }
            for (const o of walk(values)) {
                if (o.name === PASSWORD_VAR && o.value === MILVUS_DEFAULT_PASSWORD) report(`chart values set the Milvus root password to the default "${MILVUS_DEFAULT_PASSWORD}"`);
            }
            if (releaseAuthEnabled(values) && !releaseSetsRootPassword(values)) {
                report(`authentication is on but no root password is set (${PASSWORD_VAR}), so root keeps "${MILVUS_DEFAULT_PASSWORD}"`);
            }
            if (r.secretPaths !== undefined && !r.secretPaths.some((p) => p === "values" || p.startsWith("values."))) {
                report("the chart values carry MinIO keys but are not a Pulumi secret");
            }
        }
    },
};
