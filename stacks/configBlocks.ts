import { backupConfigSchema } from "../components/backup/config";
import { clusterConfigSchema } from "../components/cluster/config";
import type { z } from "../components/configSchema";
import { schemaSpecSchema, verifySpecSchema } from "../components/schema";

/** The stack keys whose schema lives beside the code it configures (the standalone and host keys are composed in jsonSchema.ts). */
export const configBlockSchemas: Record<string, z.ZodType> = {
    schema: schemaSpecSchema,
    verify: verifySpecSchema,
    cluster: clusterConfigSchema,
    backup: backupConfigSchema,
};
