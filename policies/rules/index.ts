import { PolicyRule } from "../view";
import { chartMilvusPairing } from "./chartMilvusPairing";
import { gpuIndexNeedsGpu } from "./gpuIndexNeedsGpu";
import { memoryFitsHost } from "./memoryFitsHost";
import { memoryLimitsAndHealth } from "./memoryLimitsAndHealth";
import { milvusAuthWhenPublic } from "./milvusAuthWhenPublic";
import { noDefaultCredentials } from "./noDefaultCredentials";
import { persistentStorage } from "./persistentStorage";
import { pinnedImages } from "./pinnedImages";
import { postDeployVerification } from "./postDeployVerification";
import { privateEtcdMinioPorts } from "./privateEtcdMinioPorts";
import { productionClusterMode } from "./productionClusterMode";

/** Every rule of the pack, in the order violations are listed. */
export const RULES: readonly PolicyRule[] = [
    pinnedImages,
    chartMilvusPairing,
    gpuIndexNeedsGpu,
    memoryLimitsAndHealth,
    noDefaultCredentials,
    privateEtcdMinioPorts,
    milvusAuthWhenPublic,
    persistentStorage,
    productionClusterMode,
    memoryFitsHost,
    postDeployVerification,
];

export {
    chartMilvusPairing,
    gpuIndexNeedsGpu,
    memoryFitsHost,
    memoryLimitsAndHealth,
    milvusAuthWhenPublic,
    noDefaultCredentials,
    persistentStorage,
    pinnedImages,
    postDeployVerification,
    privateEtcdMinioPorts,
    productionClusterMode,
};
