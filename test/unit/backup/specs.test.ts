import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BackupArgs, parseBackupSettings } from "../../../components/backup/config";
import { OPS_SCRIPT } from "../../../components/backup/opsScript";
import { BACKUP_CONFIG_PATH, BACKUP_STATE_DIR, backupContainerSpec, OPS_PATH } from "../../../components/backup/specs";
import { isSecretRef } from "../../../components/standalone/containerSpec";
import { parseStandaloneSettings } from "../../../components/standalone/settings";
import { TLS_CONTAINER_DIR } from "../../../components/standalone/tlsCertificate";
import { parseStackConfig } from "../../../stacks/config";
import { RenderedContainer, renderStack } from "../../../stacks/render";

const BACKUP: BackupArgs = { target: { endpoint: "backups.example.com:9000", bucket: "milvus-backups" }, schedule: "0 3 * * *", memory: "768m" };
const backup = (extra: Partial<BackupArgs> = {}) => parseBackupSettings({ ...BACKUP, ...extra })!;
const settings = (extra: Record<string, unknown> = {}) => parseStandaloneSettings({ dataDir: "/srv/milvus", ...extra });
const spec = (s = settings(), b = backup()) => backupContainerSpec(s, b, "v2.6.16");

describe("the backup container spec (standalone)", () => {
    it("is memory-limited to backup.memory, role backup, on the pinned default image for the Milvus line", () => {
        const c = spec();
        expect(c.memoryBytes).toBe(768 * 1024 ** 2);
        expect(c.role).toBe("backup");
        expect(c.image).toBe("milvusdb/milvus-backup:v0.5.16");
        expect(c.containerName).toBe(`${settings().namePrefix}-backup`);
    });

    it("runs the ops program as its entrypoint, serving the schedule, with the program and config as files", () => {
        const c = spec();
        expect(c.entrypoint).toEqual(["/bin/sh", OPS_PATH]);
        expect(c.command).toEqual(["serve"]);
        const files = Object.fromEntries(c.files!.map((f) => [f.path, f]));
        expect(files[OPS_PATH]).toMatchObject({ content: OPS_SCRIPT, executable: true });
        expect(parse(files[BACKUP_CONFIG_PATH].content).milvus.address).toBe("standalone");
        expect(c.healthcheck.test).toEqual(["CMD", "/bin/sh", OPS_PATH, "health"]);
        expect(c.env.MB_SCHEDULE).toBe("0 3 * * *");
    });

    it("takes keys and passwords only as secret references, never as values or in its files", () => {
        const c = spec();
        const secrets = Object.fromEntries(Object.entries(c.env).filter(([, v]) => isSecretRef(v)));
        expect(secrets).toEqual({
            MINIO_ACCESS_KEY: { secret: "minioAccessKey" },
            MINIO_SECRET_KEY: { secret: "minioSecretKey" },
            MINIO_BACKUP_ACCESS_KEY: { secret: "backupAccessKey" },
            MINIO_BACKUP_SECRET_KEY: { secret: "backupSecretKey" },
            MILVUS_PASSWORD: { secret: "milvusRootPassword" },
        });
        for (const [k, v] of Object.entries(c.env)) if (/KEY|PASSWORD/.test(k)) expect(isSecretRef(v), k).toBe(true);
        const config = parse(c.files!.find((f) => f.path === BACKUP_CONFIG_PATH)!.content);
        expect(JSON.stringify(config)).not.toMatch(/accessKeyID|secretAccessKey|password/i);
        // Without authentication there is no root password to pass.
        expect(spec(settings({ milvus: { auth: false, host: "127.0.0.1" } })).env.MILVUS_PASSWORD).toBeUndefined();
    });

    it("publishes no port, keeps its records on the host, and mounts Milvus's certificate read-only only with TLS", () => {
        const plain = spec();
        expect(plain.ports).toEqual([]);
        expect(plain.volumes).toEqual([{ hostPath: "/srv/milvus/backup", containerPath: BACKUP_STATE_DIR }]);
        const tls = spec(settings({ milvus: { tls: { mode: "one-way" } } }));
        expect(tls.ports).toEqual([]);
        expect(tls.volumes).toContainEqual({ hostPath: expect.stringMatching(/^\/srv\/milvus\//), containerPath: TLS_CONTAINER_DIR, readOnly: true });
        expect(parse(tls.files!.find((f) => f.path === BACKUP_CONFIG_PATH)!.content).milvus.tlsMode).toBe(1);
    });
});

describe("render of a Docker stack with backup", () => {
    const config = parseStackConfig({ release: "v2.6.16", dataDir: "/srv/milvus", backup: { ...BACKUP, restoreFrom: "latest" } }, "withbackup", ["backupAccessKey", "backupSecretKey"]);

    it("shows the backup container with its files and secrets redacted, and the steps", () => {
        const out = renderStack(config, "json") as { containers: RenderedContainer[]; backup: Record<string, any> };
        const c = out.containers.find((x) => x.service === "backup")!;
        expect(c.image).toBe("milvusdb/milvus-backup:v0.5.16");
        expect(c.memoryBytes).toBe(768 * 1024 ** 2);
        expect(c.ports).toEqual([]);
        expect(c.labels).toEqual({ "milvus-gpu.role": "backup" });
        expect(c.files![OPS_PATH]).toBe(OPS_SCRIPT);
        expect(parse(c.files![BACKUP_CONFIG_PATH]).minio.backupBucketName).toBe("milvus-backups");
        expect(c.env.MINIO_BACKUP_SECRET_KEY).toBe("<secret:BACKUP_SECRET_KEY>");
        expect(c.env.MILVUS_PASSWORD).toBe("<secret:MILVUS_ROOT_PASSWORD>");
        expect(out.backup.target.secretKey).toBe("<secret:BACKUP_SECRET_KEY>");
        expect(out.backup.schedule).toBe("0 3 * * *");
        expect(out.backup.restoreFrom).toMatch(/^latest: restored into the new deployment/);
    });

    it("puts the backup service into the compose file, its secrets as required variables", () => {
        const compose = renderStack(config, "compose") as { services: Record<string, any> };
        const svc = compose.services.backup;
        expect(svc.image).toBe("milvusdb/milvus-backup:v0.5.16");
        expect(JSON.stringify(svc)).toContain("${BACKUP_SECRET_KEY:?");
        expect(svc.ports ?? []).toEqual([]);
    });
});
