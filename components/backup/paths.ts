/** Where the ops program, milvus-backup's config and the run records live in the backup container (or pod). */
export const BACKUP_HOME = "/milvus-backup";
export const OPS_PATH = `${BACKUP_HOME}/bin/milvus-backup-ops`;
export const BACKUP_CONFIG_PATH = `${BACKUP_HOME}/backup.yaml`;
export const BACKUP_STATE_DIR = `${BACKUP_HOME}/state`;
