export * from "./errors";
export { isLoopback, memoryBytes, MEMORY_ALLOWED, parseWith, ProblemList } from "./configSchema";
export * from "./credentials";
export * from "./host";
export * from "./clore";
export * from "./standalone";
export * from "./cluster";
export * from "./schema";
