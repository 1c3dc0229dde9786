import { describe, expect, it } from "vitest";
import { configErrorsOf } from "../../helpers/configErrors";
import { parseGpuDevices, parseStandaloneSettings } from "../../../components/standalone/settings";
import { parseStackConfig } from "../../../stacks/config";

describe("parseStandaloneSettings defaults", () => {
    const s = parseStandaloneSettings({});

    it("pins the current Milvus 3.0 release with its etcd and MinIO", () => {
        expect(s.milvus.image).toBe("milvusdb/milvus:v3.0.2");
        expect(s.etcd.image).toBe("quay.io/coreos/etcd:v3.5.25");
        expect(s.minio.image).toBe("minio/minio:RELEASE.2024-05-28T17-19-04Z");
    });

    it("has no GPU, authentication on, and etcd/MinIO unpublished", () => {
        expect(s.milvus.gpu).toBeUndefined();
        expect(s.milvus.auth).toBe(true);
        expect(s.etcd.publish).toBeUndefined();
        expect(s.minio.publishApi).toBeUndefined();
        expect(s.minio.publishConsole).toBeUndefined();
    });

    it("reproduces the seed's v2.4.0 image set by config", () => {
        const seed = parseStandaloneSettings({ release: "v2.4.0", milvus: { gpu: true } });
        expect(seed.milvus.image).toBe("milvusdb/milvus:v2.4.0-gpu");
        expect(seed.etcd.image).toBe("quay.io/coreos/etcd:v3.5.5");
        expect(seed.minio.image).toBe("minio/minio:RELEASE.2023-03-13T19-46-17Z");
    });
});

describe("config validation names the field, the value and what is allowed", () => {
    it("rejects an unknown mode", () => {
        const [e] = configErrorsOf(() => parseStackConfig({ mode: "distributed" }, "t"));
        expect(e.field).toBe("mode");
        expect(e.value).toBe("distributed");
        expect(e.message).toMatch(/mode: invalid value "distributed"; expected one of "standalone", "cluster"/);
    });

    it("rejects a bad memory string", () => {
        const [e] = configErrorsOf(() => parseStandaloneSettings({ milvus: { memory: "16 gigs" } }));
        expect(e.field).toBe("milvus.memory");
        expect(e.message).toContain('"16 gigs"');
        expect(e.allowed).toMatch(/memory size/);
    });

    it.each([[-1], ["gpu0"], [1.5], ["GPU-xyz"]])("rejects the GPU device id %j", (bad) => {
        const [e] = configErrorsOf(() => parseStandaloneSettings({ milvus: { gpu: { devices: [0, bad] } } }));
        expect(e.field).toBe("milvus.gpu.devices[1]");
        expect(e.allowed).toMatch(/GPU index .* UUID/);
    });

    it("rejects an empty GPU device list", () => {
        expect(configErrorsOf(() => parseGpuDevices([], "milvus.gpu"))[0].field).toBe("milvus.gpu");
        expect(configErrorsOf(() => parseGpuDevices({ devices: [] }, "milvus.gpu"))[0].field).toBe("milvus.gpu.devices");
    });

    it("rejects an empty SSH host", () => {
        const [e] = configErrorsOf(() => parseStackConfig({ host: { type: "ssh", address: "" } }, "t"));
        expect(e.field).toBe("host.address");
        expect(e.allowed).toBe("a non-empty string");
    });

    it("rejects a host address that is not a host name or IP", () => {
        expect(configErrorsOf(() => parseStackConfig({ host: { type: "ssh", address: "gpu box!" } }, "t"))[0].field).toBe("host.address");
    });

    it("rejects an unknown host type", () => {
        expect(configErrorsOf(() => parseStackConfig({ host: { type: "vm" } }, "t"))[0].field).toBe("host.type");
    });

    it("rejects a moving image tag", () => {
        const [e] = configErrorsOf(() => parseStandaloneSettings({ etcd: { image: "quay.io/coreos/etcd:latest" } }));
        expect(e.field).toBe("etcd.image");
        expect(e.allowed).toMatch(/pinned/);
    });

    it("rejects a plain image while a GPU is requested", () => {
        const [e] = configErrorsOf(() => parseStandaloneSettings({ milvus: { gpu: "all", image: "milvusdb/milvus:v3.0.2" } }));
        expect(e.field).toBe("milvus.image");
        expect(e.allowed).toContain("milvusdb/milvus:v3.0.2-gpu");
    });

    it("refuses authentication off when Milvus is published beyond localhost", () => {
        const [e] = configErrorsOf(() => parseStandaloneSettings({ milvus: { auth: false, host: "0.0.0.0" } }));
        expect(e.field).toBe("milvus.auth");
        expect(parseStandaloneSettings({ milvus: { auth: false, host: "127.0.0.1" } }).milvus.auth).toBe(false);
    });

    it("rejects typos in keys", () => {
        const [e] = configErrorsOf(() => parseStandaloneSettings({ milvus: { memmory: "4g" } }));
        expect(e.field).toBe("milvus.memmory");
    });

    it("rejects an unknown stack config key", () => {
        expect(configErrorsOf(() => parseStackConfig({ milvsu: {} }, "t"))[0].field).toBe("milvus-gpu:milvsu");
    });

    it("reports every problem at once", () => {
        const errors = configErrorsOf(() =>
            parseStackConfig({ mode: "x", milvus: { memory: "lots" }, etcd: { memory: "0" }, release: "v9" }, "t"),
        );
        expect(errors.map((e) => e.field).sort()).toEqual(["etcd.memory", "milvus.memory", "mode", "release"]);
    });
});

describe("pinned images", () => {
    it.each(["milvusdb/milvus:latest-gpu", "milvusdb/milvus:master-latest", "minio/minio:nightly-20240821"])("rejects the moving-tag variant %s", (image) => {
        expect(configErrorsOf(() => parseStandaloneSettings({ minio: { image } }))[0].field).toBe("minio.image");
    });
});
