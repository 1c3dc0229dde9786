import { Stack } from "@pulumi/pulumi/automation";
import * as fs from "node:fs";
import { removeDeployment } from "./docker";
import { E2eProject, e2eProject } from "./project";
import { DeploymentPlace, deploymentPlace } from "./stacks";

/** One scenario's throwaway project and its own place on the Docker host. */
export interface Scenario {
    project: E2eProject;
    place: DeploymentPlace;
}

export async function openScenario(label: string): Promise<Scenario> {
    return { project: e2eProject(label), place: await deploymentPlace(label) };
}

/** Destroys what the scenario deployed, then removes whatever a failure left (containers, data, project). */
export async function closeScenario(scenario: Scenario | undefined, stack: Stack | undefined): Promise<void> {
    await stack?.destroy({ color: "never" }).catch(() => undefined);
    if (!scenario) return;
    removeDeployment(scenario.place.namePrefix);
    fs.rmSync(scenario.place.dataDir, { recursive: true, force: true });
    scenario.project.remove();
}
