export * from "./errors";
export * from "./host";
export * from "./standalone";
