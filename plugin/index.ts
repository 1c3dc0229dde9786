// The plugin's entry: the Pulumi engine starts it (through PulumiPlugin.yaml) and talks to the
// provider it serves. It never runs a stack; the program is ../index.ts.
import { main } from "@pulumi/pulumi/provider";
import { PACKAGE_NAME, SERVED_COMPONENTS } from "./components";
import { ComponentPackageProvider } from "./provider";

main(new ComponentPackageProvider(__dirname, PACKAGE_NAME, SERVED_COMPONENTS), process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
});
