import { describe, expect, it } from "vitest";
import { ConfigError, ConfigErrors } from "../../components/errors";
import { optionalInteger, parseMemory, Problems, rejectUnknownKeys } from "../../components/validate";

describe("parseMemory", () => {
    it.each([
        ["512m", 512 * 1024 ** 2],
        ["16g", 16 * 1024 ** 3],
        ["2Gi", 2 * 1024 ** 3],
        ["1.5g", 1.5 * 1024 ** 3],
        ["100MB", 100 * 1024 ** 2],
    ])("reads %s", (input, bytes) => {
        expect(parseMemory(input, "x.memory")).toBe(bytes);
    });

    it.each(["16 gigs", "", "-1g", "0m", "g16"])("rejects %j naming the field and value", (input) => {
        expect(() => parseMemory(input, "milvus.memory")).toThrowError(/milvus\.memory: invalid value .* expected a memory size/);
    });
});

describe("Problems", () => {
    it("collects every error and throws them together", () => {
        const p = new Problems();
        p.capture(() => optionalInteger("x", "a.count", { min: 1 }));
        p.capture(() => rejectUnknownKeys({ memmory: "1g" }, "milvus", ["memory"]));
        expect(p.errors).toHaveLength(2);
        try {
            p.throwIfAny();
            expect.unreachable();
        } catch (e) {
            expect(e).toBeInstanceOf(ConfigErrors);
            expect((e as ConfigErrors).errors.map((x) => x.field)).toEqual(["a.count", "milvus.memmory"]);
        }
    });

    it("throws a single ConfigError as itself", () => {
        const p = new Problems();
        p.add("host.address", "", "a host name");
        expect(() => p.throwIfAny()).toThrow(ConfigError);
    });
});
