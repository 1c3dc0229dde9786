import { describe, expect, it } from "vitest";
import { parseDockerBytes, parseDuDf, parseMemUsage, parseNvidiaSmi } from "../../../scripts/status/parse";

describe("status parsers", () => {
    it("docker stats sizes, binary and decimal units", () => {
        expect(parseDockerBytes("214.8MiB")).toBe(Math.round(214.8 * 1024 ** 2));
        expect(parseDockerBytes("4GiB")).toBe(4 * 1024 ** 3);
        expect(parseDockerBytes("1.5GB")).toBe(1.5e9);
        expect(parseDockerBytes("0B")).toBe(0);
        expect(parseDockerBytes("--")).toBeUndefined();
        expect(parseMemUsage("214.8MiB / 4GiB")).toBe(Math.round(214.8 * 1024 ** 2));
    });

    it("du -sk then df -kP (1024-byte blocks)", () => {
        const out = "1234\t/data\nFilesystem     1024-blocks     Used Available Capacity Mounted on\n/dev/vda         264212084 43005052  52496212      46% /data\n";
        expect(parseDuDf(out)).toEqual({ usedBytes: 1234 * 1024, filesystemSizeBytes: 264212084 * 1024, filesystemUsedBytes: 43005052 * 1024, filesystemAvailableBytes: 52496212 * 1024 });
        expect(() => parseDuDf("du: cannot access '/data'")).toThrow(/unexpected du\/df output: du: cannot access/);
    });

    it("nvidia-smi csv without header or units", () => {
        expect(parseNvidiaSmi("0, NVIDIA GeForce RTX 4090, 1234, 24564\n1, NVIDIA A100-SXM4-80GB, 0, 81920\n")).toEqual([
            { index: 0, name: "NVIDIA GeForce RTX 4090", memoryUsedMiB: 1234, memoryTotalMiB: 24564 },
            { index: 1, name: "NVIDIA A100-SXM4-80GB", memoryUsedMiB: 0, memoryTotalMiB: 81920 },
        ]);
        expect(() => parseNvidiaSmi("0, GPU, [N/A], 24564")).toThrow(/unexpected nvidia-smi line/);
    });
});
