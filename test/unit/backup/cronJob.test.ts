import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { clusterBackupNotices, clusterBackupProblems } from "../../../components/backup/clusterChecks";
import { BackupArgs, parseBackupSettings } from "../../../components/backup/config";
import { BACKUP_SECRET_KEYS, backupObjectName, clusterBackupObjects, CronJobManifest, EnvVar } from "../../../components/backup/cronJob";
import { OPS_SCRIPT } from "../../../components/backup/opsScript";
import { BACKUP_CONFIG_PATH, BACKUP_STATE_DIR, milvusBackupConfig, OPS_PATH } from "../../../components/backup/specs";
import { parseClusterSettings } from "../../../components/cluster/config";
import { milvusClusterValues, ROOT_PASSWORD_SECRET_KEY } from "../../../components/cluster/values";
import { parseStandaloneSettings } from "../../../components/standalone/settings";

const TARGET = { endpoint: "backups.example.com:9000", bucket: "milvus-backups" };
const backup = (extra: Partial<BackupArgs> = {}) => parseBackupSettings({ target: TARGET, schedule: "15 3 * * *", ...extra })!;
const cluster = (extra: Record<string, unknown> = {}) => parseClusterSettings({ namespace: "vectors", releaseName: "vec", ...extra });
// Distinct values, so a leak of any of them into a manifest shows.
const SECRETS = { minioAccessKey: "SECRET-minio-ak", minioSecretKey: "SECRET-minio-sk", targetAccessKey: "SECRET-target-ak", targetSecretKey: "SECRET-target-sk" };

const objectsOf = (c = cluster(), b = backup()) => clusterBackupObjects(c, b, c.milvus.version, SECRETS);
const containerOf = (job: CronJobManifest) => job.spec.jobTemplate.spec.template.spec.containers[0];
const envMap = (env: EnvVar[]) => Object.fromEntries(env.map((e) => [e.name, "value" in e ? e.value : e.valueFrom.secretKeyRef]));

describe("the backup CronJob (cluster mode)", () => {
    it("runs on the schedule in UTC, one run at a time, with the pinned default milvus-backup of the Milvus line", () => {
        const job = objectsOf().cronJob!;
        expect(job.apiVersion).toBe("batch/v1");
        expect(job.kind).toBe("CronJob");
        expect(job.metadata).toMatchObject({ name: "vec-milvus-backup", namespace: "vectors" });
        expect(job.spec.schedule).toBe("15 3 * * *");
        expect(job.spec.timeZone).toBe("Etc/UTC");
        expect(job.spec.concurrencyPolicy).toBe("Forbid");
        expect(job.spec.jobTemplate.spec.template.spec.restartPolicy).toBe("Never");
        // Chart 5.0.19 runs Milvus 2.6: the table's default for 2.6.
        expect(containerOf(job).image).toBe("milvusdb/milvus-backup:v0.5.16");
        expect(containerOf(objectsOf(cluster(), backup({ image: "milvusdb/milvus-backup:v0.5.12" })).cronJob!).image).toBe("milvusdb/milvus-backup:v0.5.12");
    });

    it("limits and requests exactly the configured memory", () => {
        expect(containerOf(objectsOf().cronJob!).resources).toEqual({ limits: { memory: "512Mi" }, requests: { memory: "512Mi" } });
        expect(containerOf(objectsOf(cluster(), backup({ memory: "1g" })).cronJob!).resources).toEqual({ limits: { memory: "1Gi" }, requests: { memory: "1Gi" } });
    });

    it("runs the ops program's scheduled run from the ConfigMap, then prints the run record into the Job's log", () => {
        const { cronJob, configMap } = objectsOf();
        const c = containerOf(cronJob!);
        expect(c.command.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
        expect(c.command[2]).toContain(`/bin/sh ${OPS_PATH} run scheduled`);
        expect(c.command[2]).toMatch(/runs; exit \$rc$/);
        const volumes = cronJob!.spec.jobTemplate.spec.template.spec.volumes;
        const ops = volumes.find((v) => v.name === "ops") as { configMap: { name: string } };
        expect(ops.configMap.name).toBe(configMap.metadata.name);
        const mounts = Object.fromEntries(c.volumeMounts.map((m) => [m.mountPath, m]));
        expect(configMap.data[mounts[OPS_PATH].subPath!]).toBe(OPS_SCRIPT);
        expect(parse(configMap.data[mounts[BACKUP_CONFIG_PATH].subPath!])).toBeTruthy();
        // The records file lives in a scratch volume: it dies with the pod, the log keeps the record.
        expect(volumes.find((v) => v.name === mounts[BACKUP_STATE_DIR].name)).toEqual({ name: "state", emptyDir: {} });
    });

    it("points milvus-backup at the chart's proxy Service and MinIO, in the bucket and path the values set", () => {
        const c = cluster();
        const cfg = parse(objectsOf(c).configMap.data["backup.yaml"]);
        expect(cfg.milvus).toMatchObject({ address: "vec-milvus", port: 19530, authorizationEnabled: true, user: "root", tlsMode: 0 });
        const values = milvusClusterValues(c, { minioAccessKey: "a", minioSecretKey: "b", rootPasswordSecretName: "r" }) as { minio: Record<string, unknown> };
        expect(cfg.minio).toMatchObject({ address: "vec-minio", port: 9000, bucketName: values.minio.bucketName, rootPath: values.minio.rootPath });
        expect(values.minio).toMatchObject({ bucketName: "milvus-bucket", rootPath: "file" });
        expect(cfg.minio).toMatchObject({ backupAddress: "backups.example.com", backupPort: 9000, backupUseSSL: true, backupBucketName: "milvus-backups", backupRootPath: "milvus-backup" });
        expect(cfg.backup.gcPause.address).toBe("http://vec-milvus:9091");
        // The chart's rule: a release name containing "milvus" is used as is.
        const plainName = parse(objectsOf(cluster({ releaseName: "milvus" })).configMap.data["backup.yaml"]);
        expect(plainName.milvus.address).toBe("milvus");
        expect(plainName.minio.address).toBe("milvus-minio");
    });

    it("takes every key and password from Secrets by reference, never in the ConfigMap or the CronJob", () => {
        const { configMap, secret, cronJob } = objectsOf();
        for (const value of Object.values(SECRETS)) {
            expect(JSON.stringify(configMap)).not.toContain(value);
            expect(JSON.stringify(cronJob)).not.toContain(value);
        }
        expect(secret.stringData).toEqual({
            [BACKUP_SECRET_KEYS.minioAccessKey]: SECRETS.minioAccessKey,
            [BACKUP_SECRET_KEYS.minioSecretKey]: SECRETS.minioSecretKey,
            [BACKUP_SECRET_KEYS.targetAccessKey]: SECRETS.targetAccessKey,
            [BACKUP_SECRET_KEYS.targetSecretKey]: SECRETS.targetSecretKey,
        });
        const env = envMap(containerOf(cronJob!).env);
        expect(env.MINIO_ACCESS_KEY).toEqual({ name: secret.metadata.name, key: BACKUP_SECRET_KEYS.minioAccessKey });
        expect(env.MINIO_SECRET_KEY).toEqual({ name: secret.metadata.name, key: BACKUP_SECRET_KEYS.minioSecretKey });
        expect(env.MINIO_BACKUP_ACCESS_KEY).toEqual({ name: secret.metadata.name, key: BACKUP_SECRET_KEYS.targetAccessKey });
        expect(env.MINIO_BACKUP_SECRET_KEY).toEqual({ name: secret.metadata.name, key: BACKUP_SECRET_KEYS.targetSecretKey });
        // The root password from the Secret the Milvus pods read it from.
        expect(env.MILVUS_PASSWORD).toEqual({ name: "vec-root-password", key: ROOT_PASSWORD_SECRET_KEY });
    });

    it("gives the ops program its settings, region only when set, and a name prefix per namespace and release", () => {
        const env = envMap(containerOf(objectsOf().cronJob!).env);
        expect(env).toMatchObject({
            MB_NAME_PREFIX: "vectors_vec",
            MB_RETAIN: "7",
            MB_SCHEDULE: "15 3 * * *",
            MB_TARGET_URL: "https://backups.example.com:9000",
            MB_TARGET_BUCKET: "milvus-backups",
            MB_TARGET_PREFIX: "milvus-backup",
        });
        expect(env.MB_TARGET_REGION).toBeUndefined();
        const withRegion = envMap(containerOf(objectsOf(cluster(), backup({ target: { ...TARGET, region: "eu-west-1", tls: false }, retain: 3 })).cronJob!).env);
        expect(withRegion).toMatchObject({ MB_TARGET_REGION: "eu-west-1", MB_TARGET_URL: "http://backups.example.com:9000", MB_RETAIN: "3" });
    });

    it("makes no CronJob without a schedule (the ConfigMap and Secret stay)", () => {
        const objects = objectsOf(cluster(), backup({ schedule: undefined }));
        expect(objects.cronJob).toBeUndefined();
        expect(objects.configMap.kind).toBe("ConfigMap");
    });
});

describe("what cluster mode refuses or does not do", () => {
    it("accepts a scheduled backup with the default image", () => {
        expect(clusterBackupProblems(cluster(), backup())).toEqual([]);
    });

    it("refuses restoreFrom, naming the field and the value", () => {
        const [e] = clusterBackupProblems(cluster(), backup({ restoreFrom: "latest" }));
        expect(e.field).toBe("backup.restoreFrom");
        expect(e.value).toBe("latest");
        expect(e.allowed).toMatch(/no value in cluster mode: restoring into a cluster is not supported yet/);
    });

    it("refuses a release name whose CronJob name would pass 52 characters", () => {
        const name = "a".repeat(42);
        const c = cluster({ releaseName: name });
        expect(backupObjectName(c).length).toBe(56);
        const [e] = clusterBackupProblems(c, backup());
        expect(e.field).toBe("cluster.releaseName");
        expect(e.value).toBe(name);
        expect(e.allowed).toMatch(/^a name of at most 38 characters with backup.schedule set: the CronJob "a{42}-milvus-backup" would be 56 characters/);
        // 38 fits exactly; without a schedule there is no CronJob to name.
        expect(clusterBackupProblems(cluster({ releaseName: "a".repeat(38) }), backup())).toEqual([]);
        expect(clusterBackupProblems(c, backup({ schedule: undefined }))).toEqual([]);
    });

    it("refuses Sunday written as 7, which Kubernetes CronJobs do not take (robfig/cron: day of week 0-6)", () => {
        for (const schedule of ["0 3 * * 7", "0 3 * * 5-7", "0 3 * * 1,7", "0 3 * * 7/2"]) {
            const [e] = clusterBackupProblems(cluster(), backup({ schedule }));
            expect(e?.field, schedule).toBe("backup.schedule");
            expect(e.value).toBe(schedule);
            expect(e.allowed).toMatch(/a day of week from 0 to 6 in cluster mode \(Sunday is 0\)/);
        }
        for (const schedule of ["0 3 * * 0", "0 3 * * 1-5", "0 3 17 * *", "7 7 7 7 *", "0 3 * * */3"]) expect(clusterBackupProblems(cluster(), backup({ schedule })), schedule).toEqual([]);
    });

    it("refuses a milvus-backup release outside the table for the chart's Milvus", () => {
        const [e] = clusterBackupProblems(cluster(), backup({ image: "milvusdb/milvus-backup:v0.4.30" }));
        expect(e.field).toBe("backup.image");
        expect(e.value).toBe("milvusdb/milvus-backup:v0.4.30");
        expect(e.allowed).toMatch(/milvus-backup v0.5.9 or later for Milvus 2.6 .*the deployed Milvus is v2.6.16/);
    });

    it("says when nothing is backed up (no schedule) and that beforeReplace is not done", () => {
        expect(clusterBackupNotices(backup({ beforeReplace: false }))).toEqual([]);
        const notices = clusterBackupNotices(backup({ schedule: undefined }));
        expect(notices[0]).toMatch(/^backup.schedule is not set: .*nothing is backed up/);
        expect(notices[1]).toMatch(/^backup.beforeReplace is not supported in cluster mode yet/);
    });
});

describe("milvus-backup's config layout", () => {
    it("points the standalone container at Milvus, its MinIO and 9091 on the private network, and at the target", () => {
        for (const auth of [true, false]) {
            const s = parseStandaloneSettings({ milvus: auth ? { auth } : { auth, host: "127.0.0.1" } });
            const b = backup({ target: { ...TARGET, region: "eu-west-1" } });
            const c = parse(milvusBackupConfig(s, b));
            expect(c.milvus).toMatchObject({ address: "standalone", port: 19530, authorizationEnabled: auth, user: auth ? "root" : "", tlsMode: 0 });
            expect(c.minio).toMatchObject({ address: "minio", port: 9000, bucketName: "a-bucket", rootPath: "files", backupAddress: "backups.example.com", backupPort: 9000, backupBucketName: "milvus-backups", backupRegion: "eu-west-1", crossStorage: "true" });
            expect(c.backup.gcPause.address).toBe("http://standalone:9091");
            expect(JSON.stringify(c)).not.toMatch(/password|secretAccessKey|accessKeyID/i);
        }
    });

    it("checks a generated TLS certificate against its name", () => {
        const s = parseStandaloneSettings({ milvus: { tls: { mode: "one-way" } } });
        const c = parse(milvusBackupConfig(s, backup()));
        expect(c.milvus).toMatchObject({ tlsMode: 1, tlsCertPath: "/milvus/tls/server.pem", serverName: "localhost" });
    });
});
