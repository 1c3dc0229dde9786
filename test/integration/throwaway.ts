import { MilvusClient } from "@zilliz/milvus2-sdk-node";

/**
 * The throwaway collections one run made (canaries, SLO and bench collections), known by the
 * names it announced before creating them. Files share a server and run at the same time, so a
 * test looks only at its own throwaways: "none of mine left", never "none anywhere".
 */
const THROWAWAY_NAME = /\bmilvus_gpu_canary_[0-9a-f]+\b/g;

/** A log that records every line, for `log:` options and CLI output. */
export function lineLog(): { lines: string[]; log: (line: string) => void } {
    const lines: string[] = [];
    return { lines, log: (line) => lines.push(line) };
}

/** Every throwaway collection name the lines mention, each once, in order of first mention. */
export function throwawayNames(text: string | readonly string[]): string[] {
    const all = (typeof text === "string" ? text : text.join("\n")).match(THROWAWAY_NAME) ?? [];
    return [...new Set(all)];
}

/** Which of `names` the server still holds (asked one by one, so other files' collections never count). */
export async function stillOnServer(client: MilvusClient, names: readonly string[]): Promise<string[]> {
    const held: string[] = [];
    for (const name of names) {
        const answer = await client.hasCollection({ collection_name: name });
        if (answer.status.error_code !== "Success") throw new Error(`hasCollection ${name}: ${answer.status.error_code} ${answer.status.reason}`);
        if (answer.value === true) held.push(name);
    }
    return held;
}
