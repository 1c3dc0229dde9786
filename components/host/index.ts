export * from "./hostConfig";
export * from "./hostPreparation";
export * from "./dockerHost";
export * from "./clore";
export * from "./hostShell";
