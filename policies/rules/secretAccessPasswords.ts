import { PolicyRule, ResourceView } from "../view";

/** What the offline check hands the rules about the stack file itself (never a Pulumi resource). */
export const STACK_FILE_TYPE = "milvus-gpu:offline:StackFile";

/** The stack file as a view: the dotted paths of passwords written in plain text. */
export function stackFileView(stack: string, project: string, plainTextPasswords: string[]): ResourceView {
    const name = `Pulumi.${stack}.yaml`;
    return { type: STACK_FILE_TYPE, name, urn: `urn:pulumi:${stack}::${project}::${STACK_FILE_TYPE}::${name}`, props: { plainTextPasswords } };
}

/**
 * Judged on the stack file itself (`npm run policy`), the only place that shows whether a value
 * was stored encrypted: the engine hands programs and policy packs decrypted config, so under
 * `pulumi preview --policy-pack` this rule has nothing to look at.
 */
export const secretAccessPasswords: PolicyRule = {
    name: "secret-access-passwords",
    description: "Passwords of declared Milvus users (milvus-gpu:accessPasswords) are stored encrypted in the stack file, never in plain text (checked by `npm run policy` on the stack file).",
    fix: "Set each with `pulumi config set --secret --path 'accessPasswords.<user>' <password>`, or drop it to have the password generated.",
    enforcementLevel: "mandatory",
    validateStack: (resources, report) => {
        for (const file of resources.filter((r) => r.type === STACK_FILE_TYPE)) {
            const paths = Array.isArray(file.props.plainTextPasswords) ? (file.props.plainTextPasswords as string[]) : [];
            for (const path of paths) report(`milvus-gpu:${path} is a password stored in plain text in ${file.name}`, file);
        }
    },
};
