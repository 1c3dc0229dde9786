/**
 * The shell program the backup container runs (`milvus-backup-ops`): a scheduler, one backup run
 * with its record and retention, a restore, and a check. It needs only sh, awk, date and the
 * milvus-backup binary, so it runs in the official image (Alpine) and in a Debian-based one alike;
 * cron is matched here rather than by a crond, which Debian's busybox lacks and whose jobs would
 * not inherit the container's secret environment.
 *
 * Settings arrive as environment variables (see backupContainerSpec): MB_SCHEDULE, MB_RETAIN,
 * MB_NAME_PREFIX, MB_TARGET_URL/BUCKET/PREFIX/REGION; the milvus-backup config file is /milvus-backup/backup.yaml and the secrets are
 * milvus-backup's own env overrides. Every outcome ends with one line starting "backup-ops:".
 */
export const OPS_SCRIPT = String.raw`#!/bin/sh
# No globbing: cron fields such as * are words here, not file patterns.
set -u -f
MB=$(command -v milvus-backup 2>/dev/null || echo /app/milvus-backup)
# MB_HOME: where the config and state live (/milvus-backup in the container; tests move it).
HOME_DIR=\${MB_HOME:-/milvus-backup}
CFG=$HOME_DIR/backup.yaml
STATE=$HOME_DIR/state
LOG=$STATE/milvus-backup.log
RUNS=$STATE/runs.jsonl
LOCK=$STATE/.lock
mkdir -p "$STATE"

say() { echo "backup-ops: $*"; }

# milvus-backup with our config; its own log goes to $LOG (log.file), stdout is kept for parsing.
mb() { "$MB" --config "$CFG" "$@"; }

# The last lines of milvus-backup's log that name an error, for messages.
log_errors() { [ -f "$LOG" ] && grep -i -E '\[(ERROR|WARN)\]' "$LOG" | tail -n "\${1:-3}" | cut -c1-300 | tr '\n' ' '; }

# Every backup name under the target prefix, one per line.
backup_names() { mb list 2>/dev/null | sed -n '/^>> Backups:/,$p' | sed '1d' | grep -E '^[A-Za-z_][A-Za-z0-9_]*$' || true; }

# Names made by this package (<prefix>_<yyyymmdd>_<hhmmss>), oldest first, by their time stamp.
timestamped() { grep -E '_[0-9]{8}_[0-9]{6}$' | awk '{ n = split($0, p, "_"); print p[n-1] p[n] " " $0 }' | sort | awk '{ print $2 }'; }

# One cron field against a value: "*", "a", "a-b", "*/s", "a-b/s", and lists of these.
cron_field() {
    echo "$1" | awk -v val="$2" -v lo="$3" -v hi="$4" '{
        v = val + 0
        n = split($0, parts, ",")
        for (i = 1; i <= n; i++) {
            part = parts[i]; step = 1
            if (index(part, "/")) { split(part, sp, "/"); part = sp[1]; step = sp[2] + 0 }
            if (part == "*") { a = lo; b = hi }
            else if (index(part, "-")) { split(part, r, "-"); a = r[1] + 0; b = r[2] + 0 }
            else { a = part + 0; b = (step > 1 ? hi : a) }
            if (v >= a && v <= b && (v - a) % step == 0) { ok = 1 }
        }
        exit(ok ? 0 : 1)
    }'
}

# A five-field cron line against "minute hour day month weekday" (UTC). When both day fields are
# restricted a day matches either, as in cron.
cron_matches() {
    set -- $1 $2
    m=$1; h=$2; dom=$3; mon=$4; dow=$5; vm=$6; vh=$7; vd=$8; vmon=$9; shift 9; vw=$1
    cron_field "$m" "$vm" 0 59 || return 1
    cron_field "$h" "$vh" 0 23 || return 1
    cron_field "$mon" "$vmon" 1 12 || return 1
    # 7 is Sunday too.
    wok=1; cron_field "$dow" "$vw" 0 7 || { [ "$vw" = 0 ] && cron_field "$dow" 7 0 7; } || wok=0
    dok=1; cron_field "$dom" "$vd" 1 31 || dok=0
    if [ "$dom" != "*" ] && [ "$dow" != "*" ]; then [ $dok = 1 ] || [ $wok = 1 ]; return; fi
    [ $dok = 1 ] && [ $wok = 1 ]
}

# Cut before escaping, so the cut never splits an escape.
json_string() { printf '"%s"' "$(printf '%s' "$1" | tr '\n\r\t' '   ' | cut -c1-300 | sed 's/\\/\\\\/g; s/"/\\"/g')"; }

# A value inside a double-quoted curl config string: backslash and quote escaped.
curl_quoted() { printf '%s' "$1" | sed 's/[\\"]/\\&/g'; }

# One backup: create, confirm it is listed, record it, then delete this deployment's oldest beyond MB_RETAIN.
run_backup() {
    trigger=$1
    name="\${MB_NAME_PREFIX}_$(date -u +%Y%m%d_%H%M%S)"
    started=$(date -u +%Y-%m-%dT%H:%M:%SZ); t0=$(date +%s)
    if ! out=$(check_target); then
        printf '{"name":%s,"trigger":%s,"startedAt":%s,"seconds":0,"ok":false,"sizeBytes":null,"collections":null,"error":%s}\n' \
            "$(json_string "$name")" "$(json_string "$trigger")" "$(json_string "$started")" "$(json_string "$out")" >> "$RUNS"
        say "FAILED $name: $out"; return 1
    fi
    say "creating $name ($trigger)"
    out=$(mb create -n "$name" 2>&1); rc=$?
    msg=$(printf '%s\n' "$out" | grep -v -E '^(config:|duration:)' | tail -n 1)
    ok=0
    if [ $rc = 0 ] && backup_names | grep -qx "$name"; then ok=1; fi
    if [ $ok = 1 ] && [ -n "$msg" ] && [ "$msg" != success ] && printf '%s' "$msg" | grep -q -i -E 'fail|error'; then ok=0; fi
    seconds=$(( $(date +%s) - t0 ))
    size=null; collections=null; error=""
    if [ $ok = 1 ]; then
        info=$(mb get -n "$name" 2>/dev/null)
        s=$(printf '%s\n' "$info" | grep -E '^    "size": [0-9]+' | head -n 1 | grep -o -E '[0-9]+' | head -n 1)
        [ -n "$s" ] && size=$s
        c=$(printf '%s\n' "$info" | grep -c -E '^            "collection_name":')
        [ -n "$info" ] && collections=$c
    else
        error=\${msg:-"milvus-backup exited $rc: $(log_errors 1)"}
    fi
    printf '{"name":%s,"trigger":%s,"startedAt":%s,"seconds":%s,"ok":%s,"sizeBytes":%s,"collections":%s,"error":%s}\n' \
        "$(json_string "$name")" "$(json_string "$trigger")" "$(json_string "$started")" "$seconds" \
        "$([ $ok = 1 ] && echo true || echo false)" "$size" "$collections" "$(json_string "$error")" >> "$RUNS"
    if [ $ok != 1 ]; then say "FAILED $name after \${seconds}s: $error"; return 1; fi
    prune
    say "done $name: \${collections} collections, \${size} bytes, \${seconds}s"
}

prune() {
    own=$(backup_names | grep -E "^\${MB_NAME_PREFIX}_[0-9]{8}_[0-9]{6}$" | timestamped)
    count=$(printf '%s\n' "$own" | grep -c . || true)
    extra=$(( count - MB_RETAIN ))
    [ $extra -gt 0 ] || return 0
    printf '%s\n' "$own" | head -n $extra | while read -r old; do
        mb delete -n "$old" >/dev/null 2>&1 && say "deleted $old (retain $MB_RETAIN)"
    done
}

# Restore NAME (or the newest timestamped one) into a Milvus that must not hold its collections.
restore() {
    want=$1
    if ! out=$(check_target); then say "FAILED restore: $out"; return 2; fi
    names=$(backup_names)
    if [ "$want" = latest ]; then
        name=$(printf '%s\n' "$names" | timestamped | tail -n 1)
        if [ -z "$name" ]; then
            say "FAILED restore: no backup under $MB_TARGET_URL/$MB_TARGET_BUCKET/$MB_TARGET_PREFIX to take as latest"
            return 2
        fi
    else
        name=$want
        if ! printf '%s\n' "$names" | grep -qx "$name"; then
            say "FAILED restore: backup $name does not exist under $MB_TARGET_URL/$MB_TARGET_BUCKET/$MB_TARGET_PREFIX; there are: $(printf '%s' "$names" | tr '\n' ' ' | cut -c1-400)"
            return 2
        fi
    fi
    say "restoring $name"
    t0=$(date +%s)
    out=$(mb restore -n "$name" --restore_index 2>&1); rc=$?
    msg=$(printf '%s\n' "$out" | grep -v -E '^(config:|duration:)' | tail -n 1)
    if [ $rc != 0 ] || { [ "$msg" != success ] && printf '%s' "$msg" | grep -q -i -E 'fail|error|exist'; }; then
        say "FAILED restore of $name: \${msg:-"milvus-backup exited $rc: $(log_errors 1)"}"
        return 1
    fi
    say "restored $name in $(( $(date +%s) - t0 ))s"
}

# Whether the target bucket answers with these keys, before milvus-backup (which would create a
# missing bucket) touches it: a signed GetBucketLocation, read by its status and S3 error code
# ("location=" with its "=": curl 7.88 signs a bare "?location" wrongly).
check_target() {
    body=$(printf 'user = "%s:%s"\n' "$(curl_quoted "$MINIO_BACKUP_ACCESS_KEY")" "$(curl_quoted "$MINIO_BACKUP_SECRET_KEY")" |
        curl -s -K - --max-time 15 --aws-sigv4 "aws:amz:\${MB_TARGET_REGION:-us-east-1}:s3" -w '\n%{http_code}' "$MB_TARGET_URL/$MB_TARGET_BUCKET?location=" 2>&1); rc=$?
    status=$(printf '%s\n' "$body" | tail -n 1)
    code=$(printf '%s' "$body" | grep -o '<Code>[^<]*' | head -n 1 | sed 's/<Code>//')
    where="$MB_TARGET_URL/$MB_TARGET_BUCKET"
    if [ $rc != 0 ] || [ "$status" = 000 ]; then echo "target $MB_TARGET_URL unreachable (curl exit $rc): check backup.target.endpoint and tls"; return 1; fi
    case "$status:$code" in
        200:*) echo "target $where reachable, bucket present, keys accepted" ;;
        404:*|*:NoSuchBucket) echo "bucket $MB_TARGET_BUCKET does not exist at $MB_TARGET_URL: create it, or fix backup.target.bucket"; return 1 ;;
        *:InvalidAccessKeyId) echo "the target does not know the access key (backupAccessKey) at $where"; return 1 ;;
        *:SignatureDoesNotMatch) echo "the secret key (backupSecretKey) does not match the access key at $where"; return 1 ;;
        403:*) echo "the keys may not read bucket $where ($code)"; return 1 ;;
        *) echo "target $where answered HTTP $status \${code:-}"; return 1 ;;
    esac
}

serve() {
    # The container's main process: no operation can be running yet, so a lock left by a killed one goes.
    rmdir "$LOCK" 2>/dev/null
    say "scheduler: \${MB_SCHEDULE:-none} (UTC), retain \${MB_RETAIN}"
    while :; do
        touch "$STATE/.alive"
        # Sleep to the next minute boundary, then judge that minute.
        sleep $(( 60 - $(date -u +%S | sed 's/^0//') ))
        [ -n "\${MB_SCHEDULE:-}" ] || continue
        now=$(date -u '+%M %H %d %m %w')
        if cron_matches "$MB_SCHEDULE" "$now"; then
            ( flock_run run_backup scheduled ) &
        fi
    done
}

# One operation at a time (a scheduled run never overlaps a manual one).
# A scheduled run gives way at once; the others (a backup before replacement, a restore, a manual
# run) wait up to MB_LOCK_WAIT seconds (default 900) for a running one to finish.
flock_run() {
    waited=0
    limit=\${MB_LOCK_WAIT:-900}
    [ "\${2:-}" = scheduled ] && limit=0
    until mkdir "$LOCK" 2>/dev/null; do
        if [ $waited -ge $limit ]; then say "FAILED: another backup operation is running (waited \${waited}s)"; return 3; fi
        sleep 5; waited=$((waited + 5))
    done
    trap 'rmdir "$LOCK" 2>/dev/null' EXIT INT TERM
    "$@"; rc=$?
    rmdir "$LOCK" 2>/dev/null; trap - EXIT INT TERM
    return $rc
}

case "\${1:-}" in
    serve) serve ;;
    run) flock_run run_backup "\${2:-manual}" ;;
    restore) flock_run restore "\${2:?restore needs a backup name or latest}" ;;
    list) backup_names ;;
    runs) [ -f "$RUNS" ] && cat "$RUNS" ;;
    check) if out=$(check_target); then say "$out"; else say "FAILED: $out"; exit 1; fi ;;
    health) [ -n "$(find "$STATE/.alive" -mmin -3 2>/dev/null)" ] ;;
    cron-matches) cron_matches "$2" "$3" ;;
    *) echo "usage: milvus-backup-ops serve|run [trigger]|restore NAME|latest|list|runs|check|health" >&2; exit 64 ;;
esac
`
    // String.raw keeps the backslash that stops TypeScript from reading ${...}; the shell needs it gone.
    .replaceAll("\\${", "${");
