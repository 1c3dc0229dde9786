import { describe, expect, it } from "vitest";
import { block, int, isLoopback, memory, memoryBytes, parseWith, ProblemList } from "../../components/configSchema";
import { ConfigError, ConfigErrors } from "../../components/errors";

describe("memory sizes", () => {
    it.each([
        ["512m", 512 * 1024 ** 2],
        ["16g", 16 * 1024 ** 3],
        ["2Gi", 2 * 1024 ** 3],
        ["1.5g", 1.5 * 1024 ** 3],
        ["100MB", 100 * 1024 ** 2],
        ["32t", 32 * 1024 ** 4],
    ])("reads %s", (input, bytes) => {
        expect(memoryBytes(input)).toBe(bytes);
    });

    it.each([16, "16", "16 gigs", "", "-1g", "0m", "g16", "1k", "15m", "33t", "4000t"])("rejects %j naming the field and value", (input) => {
        expect(() => parseWith(memory(), input, "milvus.memory")).toThrowError(/^milvus\.memory: invalid value .*; expected a memory size with its unit/);
    });
});

describe("loopback is decided by parsing the address", () => {
    it.each(["127.0.0.1", "127.255.0.9", "::1", "0:0:0:0:0:0:0:1", "[::1]", "::ffff:127.0.0.1", "localhost", "LOCALHOST"])("%s is loopback", (h) => {
        expect(isLoopback(h)).toBe(true);
    });
    it.each(["127.0.0.1.nip.io", "0.0.0.0", "10.0.0.1", "::", "128.0.0.1", "localhost.example.com", "1270.0.0.1"])("%s is not", (h) => {
        expect(isLoopback(h)).toBe(false);
    });
});

describe("parseWith and ProblemList", () => {
    it("collects every problem of a block in one pass, unknown keys named one by one", () => {
        const schema = block({ count: int({ min: 1 }).optional(), memory: memory().optional() }, "a");
        try {
            parseWith(schema, { count: "x", memory: "lots", memmory: "1g", extra: 1 }, "a");
            expect.unreachable();
        } catch (e) {
            expect(e).toBeInstanceOf(ConfigErrors);
            expect((e as ConfigErrors).errors.map((x) => x.field).sort()).toEqual(["a.count", "a.extra", "a.memmory", "a.memory"]);
            expect((e as ConfigErrors).errors.find((x) => x.field === "a.memmory")?.allowed).toBe("one of the known keys of a: count, memory");
        }
    });

    it("gathers errors from several parsers and throws a single one as itself", () => {
        const p = new ProblemList();
        expect(p.read(() => parseWith(int(), "x", "n"))).toBeUndefined();
        expect(() => p.throwIfAny()).toThrow(ConfigError);
        expect(() => p.throwIfAny()).not.toThrow(ConfigErrors);
        p.add("host.address", "", "a host name");
        expect(() => p.throwIfAny()).toThrow(ConfigErrors);
    });
});
