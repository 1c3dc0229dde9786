// `npm run build`: the component library as published, in bin/ (`npm publish bin`). Its manifest
// is library/package.json, not the repository's: the repository's package.json is the Pulumi
// program's (main: index.ts), so `pulumi up` in the root runs the program whether bin/ exists or not.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");

/** Compiles components/ into `outDir` and writes the library's package.json and README there. */
export function buildLibrary(outDir: string): void {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(ROOT, "tsconfig.build.json"), "--outDir", outDir], { cwd: ROOT, stdio: "inherit" });
    fs.copyFileSync(path.join(ROOT, "library/package.json"), path.join(outDir, "package.json"));
    fs.copyFileSync(path.join(ROOT, "README.md"), path.join(outDir, "README.md"));
}

if (require.main === module) buildLibrary(path.resolve(ROOT, process.argv[2] ?? "bin"));
