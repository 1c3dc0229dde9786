import { GpuStatus } from "./report";

/*
 * Pure parsers of what docker, du/df, nvidia-smi and the backup records print. Kept apart from
 * the commands so the unit tests feed them real outputs.
 */

const UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };

/** "214.8MiB" / "1.5GB" / "0B" (docker stats) -> bytes; undefined for anything else. */
export function parseDockerBytes(text: string): number | undefined {
    const m = /^\s*([\d.]+)\s*([kmgt]?i?b)\s*$/i.exec(text);
    if (!m) return undefined;
    const unit = UNITS[m[2].toLowerCase()];
    return unit === undefined ? undefined : Math.round(Number(m[1]) * unit);
}

/** docker stats' MemUsage "214.8MiB / 4GiB" -> used bytes (the limit is read from docker inspect, exactly). */
export function parseMemUsage(memUsage: string): number | undefined {
    return parseDockerBytes(memUsage.split("/")[0] ?? "");
}

/**
 * The one-shot container's output: `du -sk DIR` then `df -kP DIR` (POSIX format, 1024-byte blocks).
 */
export function parseDuDf(output: string): { usedBytes: number; filesystemSizeBytes: number; filesystemUsedBytes: number; filesystemAvailableBytes: number } {
    const lines = output.trim().split("\n").map((l) => l.trim());
    const du = /^(\d+)\s/.exec(lines[0] ?? "");
    const dfLine = lines.slice(1).find((l) => /^\S+\s+\d+\s+\d+\s+\d+\s+\d+%/.test(l));
    if (!du || !dfLine) throw new Error(`unexpected du/df output: ${output.trim().slice(0, 200)}`);
    const [, size, used, avail] = dfLine.split(/\s+/);
    return { usedBytes: Number(du[1]) * 1024, filesystemSizeBytes: Number(size) * 1024, filesystemUsedBytes: Number(used) * 1024, filesystemAvailableBytes: Number(avail) * 1024 };
}

/** `nvidia-smi --query-gpu=index,name,memory.used,memory.total --format=csv,noheader,nounits` */
export function parseNvidiaSmi(output: string): GpuStatus[] {
    return output
        .trim()
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => {
            const [index, name, used, total] = l.split(",").map((s) => s.trim());
            if ([index, used, total].some((n) => n === undefined || !/^\d+$/.test(n))) throw new Error(`unexpected nvidia-smi line: ${l}`);
            return { index: Number(index), name, memoryUsedMiB: Number(used), memoryTotalMiB: Number(total) };
        });
}
