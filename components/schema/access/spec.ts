/**
 * Declared access: databases, roles with their grants, and users holding roles. These are the
 * parsed shapes `parseSchemaSettings` produces under `schema.access`; planning, reconciling and
 * verifying access read only these.
 */

/** Roles every Milvus has; users may hold them, the spec may not redefine them. */
export const BUILT_IN_ROLES = ["admin", "public"] as const;

/** The user the deployment itself owns (its password is the deployment's, never this step's). */
export const ROOT_USER = "root";

export const RBAC_OBJECTS = ["Collection", "Global", "User"] as const;
export type RbacObject = (typeof RBAC_OBJECTS)[number];

/** Privileges Milvus 2.3 knows, per object type (the names its OperatePrivilege accepts). */
export const PRIVILEGES: Record<RbacObject, readonly string[]> = {
    Collection: [
        "CreateIndex",
        "DropIndex",
        "IndexDetail",
        "Load",
        "GetLoadingProgress",
        "GetLoadState",
        "Release",
        "Insert",
        "Upsert",
        "Delete",
        "Search",
        "Flush",
        "GetFlushState",
        "Query",
        "GetStatistics",
        "Compaction",
        "Import",
        "LoadBalance",
        "CreatePartition",
        "DropPartition",
        "ShowPartitions",
        "HasPartition",
    ],
    Global: [
        "All",
        "CreateCollection",
        "DropCollection",
        "DescribeCollection",
        "ShowCollections",
        "RenameCollection",
        "FlushAll",
        "CreateOwnership",
        "DropOwnership",
        "SelectOwnership",
        "ManageOwnership",
        "CreateResourceGroup",
        "DropResourceGroup",
        "DescribeResourceGroup",
        "ListResourceGroups",
        "TransferNode",
        "TransferReplica",
        "CreateDatabase",
        "ListDatabases",
        "DropDatabase",
        "CreateAlias",
        "DropAlias",
        "DescribeAlias",
        "ListAliases",
    ],
    User: ["UpdateUser", "SelectUser"],
};

/**
 * Built-in privilege groups (Milvus 2.5 and later), granted like a privilege on the object
 * type they belong to. Older servers refuse them (the capability table says so before anything
 * is applied).
 */
export const PRIVILEGE_GROUPS: Record<string, RbacObject> = {
    CollectionReadOnly: "Collection",
    CollectionReadWrite: "Collection",
    CollectionAdmin: "Collection",
    DatabaseReadOnly: "Global",
    DatabaseReadWrite: "Global",
    DatabaseAdmin: "Global",
    ClusterReadOnly: "Global",
    ClusterReadWrite: "Global",
    ClusterAdmin: "Global",
};

const COLLECTION_READ = ["Query", "Search", "IndexDetail", "GetFlushState", "GetLoadState", "GetLoadingProgress", "HasPartition", "ShowPartitions", "ListAliases", "DescribeCollection", "DescribeAlias", "GetStatistics"];
const COLLECTION_WRITE = ["CreateIndex", "DropIndex", "CreatePartition", "DropPartition", "Load", "Release", "Insert", "Delete", "Upsert", "Import", "Flush", "Compaction", "LoadBalance"];

/**
 * What the collection-level groups stand for (https://milvus.io/docs/v2.5.x/privilege_group.md),
 * so the access check knows what a role holding one may and may not do. The database and
 * cluster groups are not expanded: a user holding one gets no Global forbidden probe.
 */
export const COLLECTION_GROUP_PRIVILEGES: Record<string, readonly string[]> = {
    CollectionReadOnly: COLLECTION_READ,
    CollectionReadWrite: [...COLLECTION_READ, ...COLLECTION_WRITE],
    CollectionAdmin: [...COLLECTION_READ, ...COLLECTION_WRITE, "CreateAlias", "DropAlias"],
};

/** A grant as the single privileges it stands for (a collection group expanded; anything else as is). */
export function expandGrant(g: Grant): Grant[] {
    const members = COLLECTION_GROUP_PRIVILEGES[g.privilege];
    return members ? members.map((privilege) => ({ ...g, privilege })) : [g];
}

export function isPrivilegeGroup(privilege: string): boolean {
    return Object.prototype.hasOwnProperty.call(PRIVILEGE_GROUPS, privilege);
}

/** One privilege on one object: the unit Milvus grants, lists and the plan compares. */
export interface Grant {
    database: string;
    object: RbacObject;
    /** Object name; `*` for every object of the type (always `*` for Global). */
    name: string;
    privilege: string;
}

/** Privileges on one object, as declared (and as the parser gives them back, defaults filled). */
export interface AccessGrantSettings {
    object: RbacObject;
    /** Object name; `*` (the default) for every object of the type; always `*` for Global. */
    name: string;
    database: string;
    privileges: string[];
}

export interface AccessRoleSettings {
    name: string;
    grants: AccessGrantSettings[];
}

/** A role's declared grants, one per privilege. */
export function roleGrants(role: AccessRoleSettings): Grant[] {
    return role.grants.flatMap((g) => g.privileges.map((privilege) => ({ database: g.database, object: g.object, name: g.name, privilege })));
}

export interface AccessUserSettings {
    name: string;
    /** Declared roles, or the built-in `admin` / `public`. */
    roles: string[];
}

export interface AccessSettings {
    /**
     * Fail when the server cannot enforce access (Milvus Lite, authentication off). With
     * `false` the declared access is skipped there, and the report says so.
     */
    required: boolean;
    /** Delete users on the server that are not declared (never root). Off by default. */
    prune: boolean;
    roles: AccessRoleSettings[];
    users: AccessUserSettings[];
}

export function grantKey(g: Grant): string {
    return `${g.database}/${g.object}/${g.name}/${g.privilege}`;
}

export function describeGrant(g: Grant): string {
    const where = g.object === "Global" ? `database ${g.database}` : `${g.object} ${g.database}.${g.name}`;
    return `${g.privilege} on ${where}`;
}

/** Whether `held` (a grant on the server or declared) covers the operation `wanted`. */
export function covers(held: Grant, wanted: Grant): boolean {
    if (held.object !== wanted.object) return false;
    if (held.database !== wanted.database) return false;
    if (held.name !== "*" && held.name !== wanted.name) return false;
    return held.privilege === wanted.privilege || (held.object === "Global" && (held.privilege === "All" || held.privilege === "*"));
}
