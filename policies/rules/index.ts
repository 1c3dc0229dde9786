import { PolicyRule } from "../view";
import { backupForRentals } from "./backupForRentals";
import { chartMilvusPairing } from "./chartMilvusPairing";
import { gpuIndexNeedsGpu } from "./gpuIndexNeedsGpu";
import { memoryFitsHost } from "./memoryFitsHost";
import { memoryLimitsAndHealth } from "./memoryLimitsAndHealth";
import { milvusAuthWhenPublic } from "./milvusAuthWhenPublic";
import { milvusTlsWhenPublic } from "./milvusTlsWhenPublic";
import { noDefaultCredentials } from "./noDefaultCredentials";
import { noKnownVulnerableImages } from "./noKnownVulnerableImages";
import { persistentStorage } from "./persistentStorage";
import { pinnedImages } from "./pinnedImages";
import { postDeployVerification } from "./postDeployVerification";
import { privateAttu } from "./privateAttu";
import { privateEtcdMinioPorts } from "./privateEtcdMinioPorts";
import { privateMilvusHttpPort } from "./privateMilvusHttpPort";
import { privateMonitoring } from "./privateMonitoring";
import { productionClusterMode } from "./productionClusterMode";
import { leastPrivilegeTokens } from "./leastPrivilegeTokens";
import { secretAccessPasswords } from "./secretAccessPasswords";

/** Every rule of the pack, in the order violations are listed. */
export const RULES: readonly PolicyRule[] = [
    pinnedImages,
    noKnownVulnerableImages,
    chartMilvusPairing,
    gpuIndexNeedsGpu,
    memoryLimitsAndHealth,
    noDefaultCredentials,
    secretAccessPasswords,
    leastPrivilegeTokens,
    privateEtcdMinioPorts,
    privateMilvusHttpPort,
    privateAttu,
    privateMonitoring,
    milvusAuthWhenPublic,
    milvusTlsWhenPublic,
    persistentStorage,
    backupForRentals,
    productionClusterMode,
    memoryFitsHost,
    postDeployVerification,
];

export {
    backupForRentals,
    leastPrivilegeTokens,
    secretAccessPasswords,
    chartMilvusPairing,
    gpuIndexNeedsGpu,
    memoryFitsHost,
    memoryLimitsAndHealth,
    milvusAuthWhenPublic,
    milvusTlsWhenPublic,
    noDefaultCredentials,
    noKnownVulnerableImages,
    persistentStorage,
    pinnedImages,
    postDeployVerification,
    privateAttu,
    privateEtcdMinioPorts,
    privateMilvusHttpPort,
    privateMonitoring,
    productionClusterMode,
};
