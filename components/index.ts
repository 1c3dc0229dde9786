export * from "./errors";
export * from "./validate";
export * from "./credentials";
export * from "./host";
export * from "./standalone";
export * from "./cluster";
export * from "./schema";
