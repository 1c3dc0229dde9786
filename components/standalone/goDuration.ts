/**
 * Whole seconds in Go's `time.Duration` notation ("30s", "1m30s", "1h0m0s"). The Docker
 * provider reads healthcheck durations back from the daemon in this form; any other
 * spelling of the same duration ("90s") shows as a change on every preview after refresh.
 */
export function goDuration(totalSeconds: number): string {
    if (!Number.isInteger(totalSeconds) || totalSeconds < 0) {
        throw new RangeError(`duration must be a whole, non-negative number of seconds, got ${totalSeconds}`);
    }
    const h = Math.floor(totalSeconds / 3600);
    const m = Math.floor((totalSeconds % 3600) / 60);
    const s = totalSeconds % 60;
    if (h > 0) return `${h}h${m}m${s}s`;
    if (m > 0) return `${m}m${s}s`;
    return `${s}s`;
}
