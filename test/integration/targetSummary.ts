import { relative } from "node:path";
import type { Reporter, TestModule } from "vitest/node";

/**
 * A vitest reporter that ends the run with what ran where: per project (one per Milvus
 * target, plus `unit`) the passed / failed counts and every test that was not run on that
 * target, with the reason the test gave (see onlyWhere in milvusTarget.ts).
 */
export default class TargetSummary implements Reporter {
    onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
        const byProject = new Map<string, TestModule[]>();
        for (const m of testModules) byProject.set(m.project.name, [...(byProject.get(m.project.name) ?? []), m]);
        const lines = ["", "Tests per target:"];
        for (const [name, modules] of byProject) {
            const target = modules[0].project.getProvidedContext().milvusTarget as { version?: string; authentication?: boolean } | undefined;
            const about = target?.version ? ` (${target.version}${target.authentication ? ", authentication on" : ""})` : "";
            let passed = 0;
            let failed = 0;
            let skipped = 0;
            // Not-run tests grouped by file and reason: one line each, with the names when few.
            const notRun = new Map<string, string[]>();
            for (const m of modules) {
                if (m.state() === "failed" && [...m.children.allTests()].length === 0) failed++;
                for (const t of m.children.allTests()) {
                    const r = t.result();
                    if (r.state === "passed") passed++;
                    else if (r.state === "failed") failed++;
                    else if (r.state === "skipped") {
                        skipped++;
                        const key = `${relative(process.cwd(), m.moduleId)}: ${r.note ?? "skipped (see the suite's name)"}`;
                        notRun.set(key, [...(notRun.get(key) ?? []), t.name]);
                    }
                }
            }
            lines.push(`  ${name}${about}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} not run on this target:` : ""}`);
            for (const [key, names] of notRun) {
                lines.push(`    - ${names.length} in ${key}${names.length <= 3 ? ` [${names.join("; ")}]` : ""}`);
            }
        }
        console.log(lines.join("\n"));
    }
}
