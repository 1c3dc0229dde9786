/** Milvus's rule for collection, field, alias, database and role names. */
export const MILVUS_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;
export const MILVUS_NAME_ALLOWED = "a name of letters, digits and _, starting with a letter or _, at most 255 characters";
