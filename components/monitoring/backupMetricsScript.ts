import { BACKUP_SUCCESS_METRIC } from "./alertRules";

/**
 * A POSIX sh loop (busybox or dash) that turns the backup container's run records (runs.jsonl,
 * one JSON object a line, written by milvus-backup-ops) into Prometheus text for node-exporter's
 * textfile collector: the end of the last successful run, whether the last run succeeded, and
 * its size. Written to a temporary file and renamed, so node-exporter never reads half a file.
 *
 * `once` writes one file and exits (tests); without it the script loops every 60 s and then runs
 * node_exporter with the arguments it was given.
 */
export const BACKUP_METRICS_SCRIPT = `#!/bin/sh
set -u
RUNS=\${RUNS_FILE:-/backup-state/runs.jsonl}
DIR=\${TEXTFILE_DIR:-/var/lib/node-exporter/textfile}
OUT=$DIR/milvus_gpu_backup.prom
mkdir -p "$DIR"

field() { printf '%s' "$1" | sed -n "s/.*\\"$2\\":\\([^,}]*\\).*/\\1/p" | tr -d '"'; }

# 2026-12-05T03:00:00Z -> seconds since the epoch (busybox and GNU date both read "YYYY-MM-DD hh:mm:ss").
epoch() { date -u -d "$(printf '%s' "$1" | sed 's/T/ /; s/Z$//')" +%s 2>/dev/null; }

write_metrics() {
    tmp=$OUT.tmp.$$
    {
        echo "# HELP milvus_gpu_backup_records_present 1 when the backup container's run records exist."
        echo "# TYPE milvus_gpu_backup_records_present gauge"
        if [ ! -s "$RUNS" ]; then echo "milvus_gpu_backup_records_present 0"; else
            echo "milvus_gpu_backup_records_present 1"
            last=$(tail -n 1 "$RUNS")
            echo "# HELP milvus_gpu_backup_last_run_ok 1 when the latest backup run succeeded."
            echo "# TYPE milvus_gpu_backup_last_run_ok gauge"
            if [ "$(field "$last" ok)" = true ]; then echo "milvus_gpu_backup_last_run_ok 1"; else echo "milvus_gpu_backup_last_run_ok 0"; fi
            good=$(grep '"ok":true' "$RUNS" | tail -n 1)
            if [ -n "$good" ]; then
                started=$(epoch "$(field "$good" startedAt)")
                took=$(field "$good" seconds)
                size=$(field "$good" sizeBytes)
                if [ -n "$started" ]; then
                    echo "# HELP ${BACKUP_SUCCESS_METRIC} When the latest successful backup finished."
                    echo "# TYPE ${BACKUP_SUCCESS_METRIC} gauge"
                    echo "${BACKUP_SUCCESS_METRIC} $((started + \${took:-0}))"
                fi
                case "$size" in ''|*[!0-9]*) ;; *)
                    echo "# HELP milvus_gpu_backup_last_success_size_bytes Size of the latest successful backup."
                    echo "# TYPE milvus_gpu_backup_last_success_size_bytes gauge"
                    echo "milvus_gpu_backup_last_success_size_bytes $size" ;;
                esac
            fi
        fi
    } > "$tmp" && mv "$tmp" "$OUT"
}

if [ "\${1:-}" = once ]; then write_metrics; exit 0; fi
( while :; do write_metrics; sleep 60; done ) &
exec node_exporter "$@"
`;
