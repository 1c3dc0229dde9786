/**
 * The script that waits, on the Docker host, until a container reports healthy. Docker's
 * own wait (the provider's `wait`) fails with a bare "container failed to be in a healthy
 * state"; this one says which container, what state it is in (exited, OOM-killed, restarting)
 * and what its healthcheck last printed, which is what someone fixing the config needs.
 */
export interface HealthGateOptions {
    containerName: string;
    timeoutSeconds: number;
    /** Seconds between looks at the container. */
    pollSeconds?: number;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function healthGateScript(opts: HealthGateOptions): string {
    const name = quote(opts.containerName);
    const poll = opts.pollSeconds ?? 2;
    // Go templates for `docker inspect`: the health status, the container's state, and the
    // output of the most recent health check (Docker keeps the last five).
    const status = "{{if .State.Health}}{{.State.Health.Status}}{{else}}no-healthcheck{{end}}";
    const state =
        "{{.State.Status}}, exit code {{.State.ExitCode}}{{if .State.OOMKilled}}, killed for exceeding its memory limit (OOM){{end}}, {{.RestartCount}} restarts{{if .State.Error}}, error: {{.State.Error}}{{end}}";
    const lastCheck =
        '{{if .State.Health}}{{range $i, $l := .State.Health.Log}}{{if eq (len (slice $.State.Health.Log $i)) 1}}exit {{$l.ExitCode}} at {{$l.End.Format "15:04:05"}}: {{$l.Output}}{{end}}{{end}}{{end}}';
    return [
        "set -u",
        `name=${name}`,
        `timeout=${opts.timeoutSeconds}`,
        "start=$(date +%s)",
        "while :; do",
        `  status=$(docker inspect --format ${quote(status)} "$name" 2>&1) || { echo "milvus-gpu: container $name does not exist on this host: $status" >&2; exit 21; }`,
        '  if [ "$status" = healthy ]; then echo "$name healthy after $(( $(date +%s) - start ))s"; exit 0; fi',
        '  if [ "$status" = no-healthcheck ]; then echo "milvus-gpu: container $name has no healthcheck to wait for" >&2; exit 22; fi',
        '  if [ $(( $(date +%s) - start )) -ge "$timeout" ]; then',
        '    echo "milvus-gpu: container $name did not become healthy within ${timeout}s (waitTimeoutSeconds); health: $status" >&2',
        `    echo "  state: $(docker inspect --format ${quote(state)} "$name" 2>&1)" >&2`,
        `    last=$(docker inspect --format ${quote(lastCheck)} "$name" 2>&1)`,
        '    echo "  last health check: ${last:-none has run yet}" >&2',
        '    echo "  more: docker logs $name" >&2',
        "    exit 23",
        "  fi",
        `  sleep ${poll}`,
        "done",
    ].join("\n");
}
