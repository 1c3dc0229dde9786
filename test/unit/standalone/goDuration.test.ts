import { describe, expect, it } from "vitest";
import { goDuration } from "../../../components/standalone/goDuration";

describe("goDuration", () => {
    it("spells durations as Go's time.Duration.String does", () => {
        // Values as Go prints them: fmt.Println(90 * time.Second) == "1m30s".
        expect(goDuration(0)).toBe("0s");
        expect(goDuration(20)).toBe("20s");
        expect(goDuration(59)).toBe("59s");
        expect(goDuration(60)).toBe("1m0s");
        expect(goDuration(90)).toBe("1m30s");
        expect(goDuration(3599)).toBe("59m59s");
        expect(goDuration(3600)).toBe("1h0m0s");
        expect(goDuration(3661)).toBe("1h1m1s");
        expect(goDuration(90_000)).toBe("25h0m0s");
    });

    it("refuses what is not a whole number of seconds", () => {
        expect(() => goDuration(1.5)).toThrow(/whole/);
        expect(() => goDuration(-1)).toThrow(/non-negative/);
    });
});
