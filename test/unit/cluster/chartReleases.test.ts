import { describe, expect, it } from "vitest";
import { CHART_RELEASES, chartPairing, DEFAULT_CHART_VERSION, DEFAULT_MILVUS_VERSION, defaultMilvusVersionFor, milvusLineOf, NEWEST_MILVUS_PATCH } from "../../../components/cluster/chartReleases";
import { parseClusterSettings } from "../../../components/cluster/config";
import { configErrorsOf } from "../../helpers/configErrors";
import { RELEASE_SETS } from "../../../components/standalone/releases";


describe("chart version -> Milvus line", () => {
    it("records each chart's appVersion and the line derived from it; the default chart is in the table", () => {
        for (const [version, r] of Object.entries(CHART_RELEASES)) {
            expect(version, version).toMatch(/^\d+\.\d+\.\d+$/);
            expect(milvusLineOf(r.appVersion), version).toBe(r.milvusLine);
        }
        expect(CHART_RELEASES[DEFAULT_CHART_VERSION]).toEqual({ appVersion: "2.6.15", milvusLine: "2.6" });
        // 5.0.18 was never published; no 5.x chart in the index was made for Milvus 3.0.
        expect(CHART_RELEASES["5.0.18"]).toBeUndefined();
        expect(Object.values(CHART_RELEASES).every((r) => r.milvusLine === "2.6")).toBe(true);
    });

    it("runs the newest patch of the pinned chart's line by default, the same tag standalone mode knows as newest of that line", () => {
        expect(DEFAULT_MILVUS_VERSION).toBe("v2.6.16");
        expect(defaultMilvusVersionFor("5.0.12")).toBe("v2.6.16");
        for (const [line, tag] of Object.entries(NEWEST_MILVUS_PATCH)) {
            const known = Object.keys(RELEASE_SETS).filter((t) => milvusLineOf(t) === line);
            const newest = known.sort((a, b) => Number(a.split(".")[2]) - Number(b.split(".")[2])).pop();
            expect(tag, line).toBe(newest);
        }
    });

    it("calls a pair verified only when the chart is known and of the same line", () => {
        expect(chartPairing("5.0.19", "v2.6.16").verified).toBe(true);
        expect(chartPairing("5.0.19", "v2.6.0").verified).toBe(true);
        expect(chartPairing("5.0.19", "v3.0.2")).toMatchObject({ verified: false, chartLine: "2.6", milvusLine: "3.0" });
        expect(chartPairing("5.0.26", "v3.0.0")).toMatchObject({ verified: false, chartLine: undefined, milvusLine: "3.0" });
    });
});

describe("parseClusterSettings: the chart/Milvus pair", () => {
    it("rejects another Milvus line on the pinned chart, naming the chart's line, its newest patch and the opt-in key", () => {
        const [e] = configErrorsOf(() => parseClusterSettings({ milvusVersion: "v3.0.2" }));
        expect(e.field).toBe("cluster.milvusVersion");
        expect(e.value).toBe("v3.0.2");
        expect(e.allowed).toContain("a Milvus 2.6.x release such as \"v2.6.16\" (chart 5.0.19 was made for Milvus 2.6)");
        expect(e.allowed).toContain("cluster.acceptUnverifiedPairing: true");
        expect(() => parseClusterSettings({ milvusVersion: "v2.5.16" })).toThrow(/cluster.milvusVersion/);
    });

    it("rejects a chart version outside the table even with the default Milvus tag", () => {
        const [e] = configErrorsOf(() => parseClusterSettings({ chartVersion: "5.0.26" }));
        expect(e.field).toBe("cluster.chartVersion");
        expect(e.allowed).toContain("5.0.0 to 5.0.19 (Milvus 2.6)");
        expect(e.allowed).toContain("acceptUnverifiedPairing");
    });

    it("accepts an unverified pair only when acceptUnverifiedPairing says so, and records it", () => {
        const c = parseClusterSettings({ milvusVersion: "v3.0.2", acceptUnverifiedPairing: true });
        expect(c.milvus.imageTag).toBe("v3.0.2");
        expect(c.acceptUnverifiedPairing).toBe(true);
        expect(c.pairing.verified).toBe(false);
        const older = parseClusterSettings({ chartVersion: "5.0.12" });
        expect(older.milvus.version).toBe("v2.6.16");
        expect(older.pairing.verified).toBe(true);
        expect(configErrorsOf(() => parseClusterSettings({ acceptUnverifiedPairing: "yes" }))[0].field).toBe("cluster.acceptUnverifiedPairing");
    });
});
