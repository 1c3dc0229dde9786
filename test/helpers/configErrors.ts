import { ConfigError, ConfigErrors } from "../../components/errors";

/** The ConfigErrors `run` throws (one or several), or none when it accepts its input. */
export function configErrorsIn(run: () => unknown): ConfigError[] {
    try {
        run();
    } catch (e) {
        if (e instanceof ConfigErrors) return e.errors;
        if (e instanceof ConfigError) return [e];
        throw e;
    }
    return [];
}

/** The ConfigErrors `run` throws (one or several); fails the test when it throws none. */
export function configErrorsOf(run: () => unknown): ConfigError[] {
    const errors = configErrorsIn(run);
    if (errors.length === 0) throw new Error("expected a ConfigError");
    return errors;
}
