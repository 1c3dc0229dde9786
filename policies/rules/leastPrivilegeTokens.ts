import { at, isObj, isUnknown } from "../inspect";
import { PolicyRule, ResourceView } from "../view";

/** The schema step's deployment resource: the one whose inputs carry the declared schema and the endpoint. */
function isSchemaDeployment(r: ResourceView): boolean {
    return isObj(r.props.spec) && "address" in r.props && /SchemaDeployment|-deployment$/.test(`${r.type} ${r.name}`);
}

export const leastPrivilegeTokens: PolicyRule = {
    name: "least-privilege-app-tokens",
    description:
        "A stack whose Milvus has authentication on gives its applications their own least-privilege users (schema.access.users, one token each in the accessTokens output) rather than only the root token.",
    fix: "Declare roles and users under `milvus-gpu:schema` `access:` (e.g. a read-only role per app on its own database) and give each application its token from the stack output accessTokens.",
    enforcementLevel: "advisory",
    validateStack: (resources, report, ctx) => {
        for (const r of resources.filter(isSchemaDeployment)) {
            const token = r.props.token;
            // No token: authentication is off there, which other rules judge. A token unknown during
            // preview (a root password generated at up) still means authentication is on.
            if (token === undefined || token === "") continue;
            const users = at(r.props.spec, "access", "users");
            if (isUnknown(users)) continue;
            if (!Array.isArray(users) || users.length === 0) {
                report(`stack "${ctx.stack}" exports only the root token to applications: the schema declares no access users`, r);
            }
        }
    },
};
