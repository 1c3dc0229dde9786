import { describe, expect, it } from "vitest";
import { planUserProbes } from "../../../../components/schema/access/verify";
import { parseStackFile, stackConfigOf } from "../../../../stacks/stackFile";
import { docYamlAfter } from "../../../helpers/docExample";
import { renderStack } from "../../../../stacks/render";

const ACCESS_PAGE = "docs/access.md";

describe("the access page's example stack", () => {
    const text = docYamlAfter(ACCESS_PAGE, "# Access as code: databases, roles, users");

    it("is a valid stack file: two databases, a read-only and a read-write user, one password an encrypted leaf", () => {
        const file = parseStackFile(text, ACCESS_PAGE, "apps");
        const config = stackConfigOf(file);
        expect(config.schema.databases).toEqual(["search_app", "ingest_app"]);
        expect(config.schema.access?.users.map((u) => [u.name, u.roles])).toEqual([
            ["search_api", ["search_reader"]],
            ["ingest_worker", ["ingest_writer"]],
        ]);
        expect(file.encryptedKeys).toEqual(["accessPasswords"]);
        expect(file.plainTextSecrets).toEqual([]);
    });

    it("proves what it says: the reader may search its collection and may not write it or read the other app's", () => {
        const schema = stackConfigOf(parseStackFile(text, ACCESS_PAGE, "apps")).schema;
        const [reader, writer] = schema.access!.users.map((u) => planUserProbes(u, schema.access!, schema)[0]);
        expect(reader.allowed).toMatchObject({ privilege: "Search", database: "search_app" });
        expect(reader.forbidden.map((t) => `${t.privilege} ${t.database}.${t.collection?.name}`)).toEqual(["Insert search_app.docs", "Query ingest_app.events"]);
        expect(writer.allowed).toMatchObject({ privilege: "Insert", database: "ingest_app" });
        expect(writer.forbidden.map((t) => `${t.privilege} ${t.database}.${t.collection?.name}`)).toEqual(["GetStatistics ingest_app.events", "Query search_app.docs"]);
    });
});

describe("render of the access page's example", () => {
    it("shows the databases, collections by database, each grant and each user, passwords redacted", () => {
        const config = stackConfigOf(parseStackFile(docYamlAfter(ACCESS_PAGE, "# Access as code: databases, roles, users"), ACCESS_PAGE, "apps"));
        const rendered = renderStack(config, "json") as { schemaStep: Record<string, unknown> };
        expect(rendered.schemaStep).toMatchObject({
            databases: ["search_app", "ingest_app"],
            collections: ["search_app.docs", "ingest_app.events"],
            access: {
                required: true,
                prune: false,
                roles: [
                    { name: "search_reader", grants: ["Search on Collection search_app.docs", "Query on Collection search_app.docs"] },
                    { name: "ingest_writer", grants: ["Insert on Collection ingest_app.*", "Upsert on Collection ingest_app.*", "Delete on Collection ingest_app.*", "Query on Collection ingest_app.*", "Search on Collection ingest_app.*"] },
                ],
                users: [
                    { name: "search_api", roles: ["search_reader"], password: "<secret:accessPasswords.search_api (generated when not set)>" },
                    { name: "ingest_worker", roles: ["ingest_writer"], password: "<secret:accessPasswords.ingest_worker (generated when not set)>" },
                ],
            },
        });
    });
});
