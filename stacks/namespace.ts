/** The Pulumi project name, and so the namespace of every stack config key. */
export const PROJECT = "milvus-gpu";

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/**
 * Other namespaces are legal in a stack file (`docker:host`, `kubernetes:context`), but one
 * that differs from ours only by case or punctuation is a typo whose keys would be ignored.
 * Returns the problem with a "did you mean", or undefined.
 */
export function nearMissNamespace(key: string): string | undefined {
    const colon = key.indexOf(":");
    if (colon <= 0) return undefined;
    const ns = key.slice(0, colon);
    if (ns === PROJECT || squash(ns) !== squash(PROJECT)) return undefined;
    return `config key ${JSON.stringify(key)} is in namespace "${ns}", which is not this project's; did you mean "${PROJECT}:${key.slice(colon + 1)}"?`;
}
