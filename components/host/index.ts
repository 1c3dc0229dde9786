export * from "./hostConfig";
export * from "./hostPreparation";
export * from "./dockerHost";
export * from "./hostShell";
