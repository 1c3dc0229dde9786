import { describe, expect, it } from "vitest";
import { describeDatabaseAction, planDatabases } from "../../../../components/schema/collections/databases";
import { parseSchemaSettings } from "../../../../components/schema/spec/parse";

describe("planDatabases", () => {
    it("creates the declared databases the server lacks, in order, and nothing for those it has", () => {
        expect(planDatabases(["app_a", "app_b"], ["default"])).toEqual([
            { kind: "createDatabase", database: "app_a" },
            { kind: "createDatabase", database: "app_b" },
        ]);
        expect(planDatabases(["app_a", "app_b"], ["default", "app_b"]).map(describeDatabaseAction)).toEqual(["create database app_a"]);
        expect(planDatabases(["app_a"], ["default", "app_a", "other"])).toEqual([]);
        expect(planDatabases([], ["default", "other"])).toEqual([]);
    });

    it("takes the declared list as parsed (default is never in it, so never created)", () => {
        const spec = parseSchemaSettings({ databases: ["default", "app_a"] });
        expect(planDatabases(spec.databases ?? [], ["default"])).toEqual([{ kind: "createDatabase", database: "app_a" }]);
    });
});
