// The Pulumi program: stack config -> validated settings -> resources -> outputs.
// Components for use in other programs are exported from components/index.ts.
import { runStack } from "./stacks";

export = runStack();
