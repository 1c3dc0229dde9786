import { describe, expect, it } from "vitest";
import { ConfigError } from "../../components/errors";
import { MilvusStandalone } from "../../components/standalone/milvusStandalone";
import { evaluate, formatViolation, levelOf, validatePolicyConfig } from "../../policies/engine";
import { noDefaultCredentials, privateEtcdMinioPorts, RULES } from "../../policies/rules";
import { resourcesOf } from "./helpers";

describe("rule definitions", () => {
    it("every rule has a unique name, a description, a fix hint, a default level and a check", () => {
        expect(new Set(RULES.map((r) => r.name)).size).toBe(RULES.length);
        expect(RULES.length).toBeGreaterThanOrEqual(10);
        for (const r of RULES) {
            expect(r.name).toMatch(/^[a-z0-9-]+$/);
            expect(r.description.length, r.name).toBeGreaterThan(20);
            expect(r.fix.length, r.name).toBeGreaterThan(20);
            expect(["mandatory", "advisory", "disabled"]).toContain(r.enforcementLevel);
            expect(Boolean(r.validateResource || r.validateStack), r.name).toBe(true);
        }
    });
});

describe("enforcement configuration (pulumi --policy-pack-config format)", () => {
    const seedLike = () =>
        resourcesOf("dev", () => {
            new MilvusStandalone("milvus", { credentials: { minioAccessKey: "minioadmin", minioSecretKey: "minioadmin" }, minio: { publishApi: { host: "0.0.0.0" } } });
        });

    it("uses each rule's default level, overridden per rule or for all", async () => {
        const rs = await seedLike();
        const rules = [noDefaultCredentials, privateEtcdMinioPorts];
        expect(new Set(evaluate(rs, {}, rules).map((v) => v.level))).toEqual(new Set(["mandatory"]));

        const perRule = evaluate(rs, { "no-default-credentials": "advisory" }, rules);
        expect(perRule.filter((v) => v.rule === "no-default-credentials").every((v) => v.level === "advisory")).toBe(true);
        expect(perRule.filter((v) => v.rule === "private-etcd-minio-ports").every((v) => v.level === "mandatory")).toBe(true);

        const disabled = evaluate(rs, { "private-etcd-minio-ports": { enforcementLevel: "disabled" } }, rules);
        expect(disabled.some((v) => v.rule === "private-etcd-minio-ports")).toBe(false);
        expect(disabled.some((v) => v.rule === "no-default-credentials")).toBe(true);

        const all = evaluate(rs, { all: "advisory", "private-etcd-minio-ports": "mandatory" }, rules);
        expect(all.find((v) => v.rule === "no-default-credentials")!.level).toBe("advisory");
        expect(all.find((v) => v.rule === "private-etcd-minio-ports")!.level).toBe("mandatory");
        expect(levelOf(noDefaultCredentials, { all: "disabled" })).toBe("disabled");
    });

    it("prints a violation with level, rule, resource, message and fix", async () => {
        const v = evaluate(await seedLike(), {}, [privateEtcdMinioPorts])[0];
        expect(formatViolation(v)).toBe(
            `[mandatory] private-etcd-minio-ports: milvus-minio — container milvus-minio publishes MinIO port 9000 on 0.0.0.0:9000. Fix: ${privateEtcdMinioPorts.fix}`,
        );
    });

    it("rejects unknown rule names and levels, naming the entry and what is allowed", () => {
        expect(() => validatePolicyConfig({ "pinned-image": "mandatory" })).toThrow(ConfigError);
        try {
            validatePolicyConfig({ "pinned-images": { enforcementLevel: "warn" } }, undefined, "policy.json");
        } catch (e) {
            const err = e as ConfigError;
            expect(err.field).toBe("policy.json.pinned-images.enforcementLevel");
            expect(err.value).toBe("warn");
            expect(err.allowed).toContain("advisory");
            return;
        }
        throw new Error("expected a ConfigError");
    });
});
