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
            const notRun: string[] = [];
            for (const m of modules) {
                if (m.state() === "failed" && [...m.children.allTests()].length === 0) failed++;
                for (const t of m.children.allTests()) {
                    const r = t.result();
                    if (r.state === "passed") passed++;
                    else if (r.state === "failed") failed++;
                    else if (r.state === "skipped") notRun.push(`    - ${relative(process.cwd(), m.moduleId)} > ${t.fullName}${r.note ? `: ${r.note}` : ""}`);
                }
            }
            lines.push(`  ${name}${about}: ${passed} passed, ${failed} failed${notRun.length ? `, ${notRun.length} not run on this target:` : ""}`);
            lines.push(...notRun);
        }
        console.log(lines.join("\n"));
    }
}
