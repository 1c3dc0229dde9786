import { describe, expect, it } from "vitest";
import type { BackupArgs } from "../../../components/backup/config";
import { MilvusCluster } from "../../../components/cluster/milvusCluster";
import { ConfigError } from "../../../components/errors";
import { collectResources } from "../../../policies/offline/collector";
import { ResourceView } from "../../../policies/view";
import { parseStackConfig, PROJECT } from "../../../stacks/config";
import { renderStack } from "../../../stacks/render";
import { engineConfigFor } from "../../helpers/stackConfig";

type Obj = Record<string, any>;
const CRON_JOB = "kubernetes:batch/v1:CronJob";
const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
const SECRET = "kubernetes:core/v1:Secret";
const BACKUP: BackupArgs = { target: { endpoint: "backups.example.com:9000", bucket: "milvus-backups" }, schedule: "0 3 * * *", beforeReplace: false };
const CREDENTIALS = { accessKey: "AK-given-value", secretKey: "SK-given-value" };

async function deploy(backup: BackupArgs | undefined, credentials: typeof CREDENTIALS | null = CREDENTIALS) {
    return collectResources(
        () => {
            const c = new MilvusCluster("prod", { config: { namespace: "vectors" }, ...(backup ? { backup } : {}), ...(credentials ? { backupCredentials: credentials } : {}) });
            return { minioAccessKey: c.minioAccessKey, minioSecretKey: c.minioSecretKey };
        },
        { project: PROJECT, stack: "production" },
    );
}

const ofType = (rs: ResourceView[], type: string) => rs.filter((r) => r.type === type);

describe("MilvusCluster with backups (mocked engine)", () => {
    it("deploys the ConfigMap, the keys as a secret Secret and the CronJob in the release's namespace", async () => {
        const { resources, outputs } = await deploy(BACKUP);
        const [job] = ofType(resources, CRON_JOB);
        expect((job.props.metadata as Obj).namespace).toBe("vectors");
        expect((job.props.spec as Obj).schedule).toBe("0 3 * * *");
        const [config] = ofType(resources, CONFIG_MAP);
        expect((config.props.metadata as Obj).name).toBe("milvus-backup");
        const keys = ofType(resources, SECRET).find((s) => (s.props.metadata as Obj).name === "milvus-backup")!;
        const o = outputs as Obj;
        expect(keys.props.stringData).toEqual({
            "minio-access-key": o.minioAccessKey,
            "minio-secret-key": o.minioSecretKey,
            "target-access-key": "AK-given-value",
            "target-secret-key": "SK-given-value",
        });
        // Given as plain strings, stored as Pulumi secrets anyway.
        expect(keys.secretPaths).toContain("stringData");
        expect(JSON.stringify(config.props)).not.toContain("SK-given-value");
        expect(JSON.stringify(job.props)).not.toContain("SK-given-value");
    });

    it("deploys no CronJob without a schedule, and no backup objects without the block", async () => {
        const unscheduled = (await deploy({ ...BACKUP, schedule: undefined })).resources;
        expect(ofType(unscheduled, CRON_JOB)).toEqual([]);
        const none = (await deploy(undefined)).resources;
        expect(ofType(none, CRON_JOB)).toEqual([]);
        expect(ofType(none, CONFIG_MAP)).toEqual([]);
        expect(ofType(none, SECRET).map((s) => (s.props.metadata as Obj).name)).toEqual(["milvus-root-password"]);
    });

    it("refuses restoreFrom before anything is registered, and backup without the target's keys", async () => {
        await expect(deploy({ ...BACKUP, restoreFrom: "latest" })).rejects.toThrow(ConfigError);
        await expect(deploy({ ...BACKUP, restoreFrom: "latest" })).rejects.toThrow(/^backup.restoreFrom: invalid value "latest"; expected no value in cluster mode/);
        await expect(deploy(BACKUP, null)).rejects.toThrow(/backup needs args.backupCredentials/);
    });
});

describe("the production stack with a backup block", () => {
    const backupConfig = { ...BACKUP, retain: 5 };
    const engine = {
        ...engineConfigFor("production", { [`${PROJECT}:backup`]: backupConfig }),
        [`${PROJECT}:backupAccessKey`]: "stack-target-access",
        [`${PROJECT}:backupSecretKey`]: "stack-target-secret",
    };

    it("deploys exactly the CronJob and ConfigMap the render prints, and says in its output where the runs are", async () => {
        const { runStack } = await import("../../../stacks");
        const secretKeys = [`${PROJECT}:backupAccessKey`, `${PROJECT}:backupSecretKey`];
        const { resources, outputs } = await collectResources(runStack, { project: PROJECT, stack: "production", config: engine, secretKeys });
        const raw = Object.fromEntries(Object.entries(engine).map(([k, v]) => [k.slice(PROJECT.length + 1), tryJson(v)]));
        const rendered = renderStack(parseStackConfig(raw, "production", ["backupAccessKey", "backupSecretKey"]), "json") as Obj;
        const byKind = (kind: string) => rendered.backup.objects.find((o: Obj) => o.kind === kind);

        const [job] = ofType(resources, CRON_JOB);
        expect(job.props.spec).toEqual(byKind("CronJob").spec);
        expect(job.props.metadata).toEqual(byKind("CronJob").metadata);
        const [configMap] = ofType(resources, CONFIG_MAP);
        expect(configMap.props.data).toEqual(byKind("ConfigMap").data);
        // The render shows the Secret's keys, its values redacted.
        expect(byKind("Secret").stringData["target-secret-key"]).toBe("<secret:BACKUP_SECRET_KEY>");
        expect(JSON.stringify(rendered)).not.toContain("stack-target-secret");
        const keys = ofType(resources, SECRET).find((s) => (s.props.metadata as Obj).name === "milvus-backup")!;
        expect((keys.props.stringData as Obj)["target-secret-key"]).toBe("stack-target-secret");

        const out = (outputs as Obj).backup;
        expect(out).toMatchObject({ cronJob: "milvus-backup", schedule: "0 3 * * * (UTC)", retain: 5, target: "https://backups.example.com:9000/milvus-backups/milvus-backup" });
        expect(out.records).toMatch(/^kubectl -n milvus logs job\//);
        expect(out.onDemand).toMatch(/^kubectl -n milvus create job --from=cronjob\/milvus-backup /);
    });

    it("renders the refusal the component would make", () => {
        const raw = { ...Object.fromEntries(Object.entries(engine).map(([k, v]) => [k.slice(PROJECT.length + 1), tryJson(v)])), backup: { ...backupConfig, restoreFrom: "latest" } };
        expect(() => renderStack(parseStackConfig(raw, "production", ["backupAccessKey", "backupSecretKey"]), "json")).toThrow(/^backup.restoreFrom: invalid value "latest"/);
    });
});

function tryJson(v: string): unknown {
    try {
        return JSON.parse(v);
    } catch {
        return v;
    }
}
