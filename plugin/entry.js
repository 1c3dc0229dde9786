// The engine starts a plugin in the caller's working directory, where the Node language host's
// ts-node would compile the components with whatever tsconfig.json it finds there (or loose
// defaults the strict sources do not type-check under). tsx only transpiles, so the plugin
// runs the same from any folder; type checking is the project's `tsc` (CI).
require("tsx/cjs/api").register();
require("./index.ts");
