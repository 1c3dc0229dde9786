import * as k8s from "@pulumi/kubernetes";
import { describe, expect, it } from "vitest";
import { MilvusCluster } from "../../components/cluster/milvusCluster";
import { chartMilvusPairing } from "../../policies/rules";
import { check, resourcesOf } from "./helpers";

describe("chart-milvus-pairing", () => {
    it("passes the default cluster and the chart's own appVersion", async () => {
        const rs = await resourcesOf("production", () => {
            new MilvusCluster("cluster", { config: { gpu: { enabled: true } } });
            new k8s.helm.v3.Release("plain", { chart: "milvus", version: "5.0.19", values: {} });
        });
        expect(check(rs, chartMilvusPairing)).toEqual([]);
    });

    it("flags, as advisory, a pair accepted with acceptUnverifiedPairing and a chart outside the table", async () => {
        const rs = await resourcesOf("production", () => {
            new MilvusCluster("three", { config: { milvusVersion: "v3.0.2", acceptUnverifiedPairing: true, gpu: { enabled: true } } });
            new MilvusCluster("newer", { config: { releaseName: "newer", chartVersion: "5.0.26", milvusVersion: "v3.0.0", acceptUnverifiedPairing: true } });
        });
        const vs = check(rs, chartMilvusPairing);
        expect(vs.map((v) => v.level)).toEqual(["advisory", "advisory"]);
        expect(vs.map((v) => v.message).sort()).toEqual([
            "chart milvus@5.0.19 was made for Milvus 2.6 (appVersion 2.6.15) but runs Milvus v3.0.2-gpu (line 3.0): a pairing nobody has checked",
            "chart milvus@5.0.26 is not one whose Milvus line is known (5.0.0 to 5.0.19 (Milvus 2.6)): its pairing with Milvus is unverified",
        ].sort());
        expect(vs.map((v) => v.resourceName).sort()).toEqual(["newer-release", "three-release"]);
    });
});
