import { MilvusClient, RbacObjects } from "@zilliz/milvus2-sdk-node";
import { AccessAction, describeAccessAction, ObservedAccess } from "./plan";
import { AccessSettings, Grant, isPrivilegeGroup, RbacObject } from "./spec";
import { inDatabase, listDatabases } from "../collections/databases";
import { call } from "../server/rpc";

/**
 * Reading and writing access on a Milvus with authentication on. Every answer goes through
 * `call`, so a refusal stops the step with what was refused.
 */

/** What the server holds of the declared access: every database, user and role; bindings and grants of the declared ones. */
export async function observeAccess(client: MilvusClient, access: AccessSettings): Promise<ObservedAccess> {
    const databases = await listDatabases(client);
    const users = (await call("list users", () => client.listUsers())).usernames ?? [];
    const roleList = await call("list roles", () => client.listRoles({ includeUserInfo: true }));
    const roles = roleList.results.map((r) => r.role.name);
    const userRoles: Record<string, string[]> = {};
    for (const user of access.users) {
        userRoles[user.name] = roleList.results.filter((r) => r.users.some((u) => u.name === user.name)).map((r) => r.role.name);
    }
    const roleGrants: Record<string, Grant[]> = {};
    for (const role of access.roles) {
        if (!roles.includes(role.name)) continue;
        const grants: Grant[] = [];
        for (const db of databases) {
            const answer = await call(`list grants of role ${role.name} in database ${db}`, () => client.listGrants({ roleName: role.name, db_name: db }));
            for (const e of answer.entities ?? []) {
                grants.push({ database: e.db_name || db, object: e.object.name as RbacObject, name: e.object_name, privilege: e.grantor.privilege.name });
            }
        }
        roleGrants[role.name] = grants;
    }
    return { databases, users, roles, userRoles, roleGrants };
}

/** Applies one planned step. `passwords` holds every declared user's password. */
export async function applyAccessAction(client: MilvusClient, action: AccessAction, passwords: Record<string, string>): Promise<void> {
    const what = describeAccessAction(action);
    switch (action.kind) {
        case "createRole":
            await call(what, () => client.createRole({ roleName: action.role }));
            return;
        case "grant": {
            const g = action.grant;
            if (isPrivilegeGroup(g.privilege)) {
                // Built-in privilege groups (Milvus 2.5+) go through the v2 call, which names the database itself.
                await call(what, () =>
                    client.grantPrivilegeV2({ role: action.role, privilege: g.privilege as never, db_name: g.database, collection_name: g.object === "Collection" ? g.name : "*" }),
                );
                return;
            }
            await inDatabase(client, g.database, () =>
                call(what, () =>
                    client.grantPrivilege({ roleName: action.role, object: g.object as RbacObjects, objectName: g.name, privilegeName: g.privilege as never }),
                ),
            );
            return;
        }
        case "createUser":
            await call(what, () => client.createUser({ username: action.user, password: passwords[action.user] }));
            return;
        case "addUserToRole":
            await call(what, () => client.addUserToRole({ username: action.user, roleName: action.role }));
            return;
        case "deleteUser":
            await call(what, () => client.deleteUser({ username: action.user }));
            return;
    }
}
