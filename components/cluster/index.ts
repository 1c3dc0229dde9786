export * from "./config";
export * from "./values";
export * from "./milvusCluster";
