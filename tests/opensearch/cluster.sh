#!/usr/bin/env bash
# Starts, kills and stops the OpenSearch test nodes that newsdex's tests run against.
#
#   cluster.sh build                       build the launcher (Maven; online the first time)
#   cluster.sh launcher                    print the java command that starts one node
#   cluster.sh start-single PORT DIR       one node n1, HTTP on PORT, transport on PORT+100
#   cluster.sh start-pair PORT1 PORT2 DIR  n1 (cluster_manager,data,ingest) on PORT1 and
#                                          n2 (data,ingest) on PORT2; transports on PORT+100
#   cluster.sh kill-node DIR NAME          kill -9 one node by its recorded pid
#   cluster.sh restart-node DIR NAME       start a stopped or killed node again on its data
#   cluster.sh stop DIR                    stop every node of DIR by its recorded pid, wait
#
# Everything lives under DIR: NAME/ (path.home with data/ and logs/), NAME.log (the node's
# output), NAME.args (its launcher arguments, one a line, for restart-node), NAME.stdin (a fifo)
# and pids, one line per running node: "NAME JAVA_PID HOLDER_PID".
#
# Standard input: each node exits when its standard input reaches end of file. Its stdin is the
# fifo DIR/NAME.stdin, held open for writing by a holder process,
#   tail -f /dev/null --pid=OWNER > DIR/NAME.stdin
# which writes nothing and exits as soon as the OWNER process is gone (GNU tail checks every
# second). OWNER is $NEWSDEX_OPENSEARCH_OWNER when set, else the process that ran cluster.sh
# (.ci/run, a test binary, an interactive shell). So when the owner dies, even by kill -9, the
# holder exits, the fifo closes, and the node shuts itself down: no JVM outlives its owner.
# The holder's pid is recorded beside the node's; stop and kill-node end both, by pid only.
# No background process keeps cluster.sh's own stdout or stderr open, so a caller that captures
# them (a test's Command::output) is not held up.
#
# Environment: NEWSDEX_OPENSEARCH_START_TIMEOUT (seconds to wait for a node, default 120),
# NEWSDEX_OPENSEARCH_JAVA_OPTS (default "-Xms512m -Xmx512m -XX:+UseSerialGC"),
# NEWSDEX_OPENSEARCH_OWNER (see above).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TIMEOUT="${NEWSDEX_OPENSEARCH_START_TIMEOUT:-120}"
JAVA_OPTS="${NEWSDEX_OPENSEARCH_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseSerialGC}"
OWNER="${NEWSDEX_OPENSEARCH_OWNER:-$PPID}"
MAIN=org.newsdex.testnode.TestNode

die() {
    echo "cluster.sh: $*" >&2
    exit 1
}

usage() {
    sed -n '4,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

# Builds the launcher unless its classes and jars are newer than its sources.
build() {
    local stamp="$HERE/target/lib/.complete"
    if [[ -f "$stamp" && -z "$(find "$HERE/pom.xml" "$HERE/src" -newer "$stamp" -print -quit)" ]]; then
        return 0
    fi
    command -v mvn >/dev/null || die "mvn not found (apt-get install maven)"
    rm -f "$stamp"
    # Offline first: once the dependencies are in ~/.m2 the build needs no network.
    (cd "$HERE" && { mvn -B -q -o package >/dev/null 2>&1 || mvn -B -q package >&2; }) \
        || die "the launcher did not build (mvn package in $HERE)"
    touch "$stamp"
}

launcher() {
    echo "java $JAVA_OPTS -cp $HERE/target/classes:$HERE/target/lib/* $MAIN"
}

# The pid recorded for NAME in DIR/pids, column 2 (java) or 3 (holder); empty if none.
pid_of() {
    local dir="$1" name="$2" col="$3"
    [[ -f "$dir/pids" ]] || return 0
    awk -v n="$name" -v c="$col" '$1 == n { print $c }' "$dir/pids"
}

forget() {
    local dir="$1" name="$2"
    [[ -f "$dir/pids" ]] || return 0
    awk -v n="$name" '$1 != n' "$dir/pids" >"$dir/pids.tmp"
    mv "$dir/pids.tmp" "$dir/pids"
}

# True when PID is still the process started for DIR/NAME (guards against a reused pid).
is_ours() {
    local pid="$1" marker="$2"
    [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$marker"
}

# Starts the node whose arguments are in DIR/NAME.args, in the background.
launch() {
    local dir="$1" name="$2"
    local home="$dir/$name" fifo="$dir/$name.stdin"
    local -a args
    mapfile -t args <"$dir/$name.args"
    if is_ours "$(pid_of "$dir" "$name" 2)" "--home $home "; then
        die "$name is already running (pid $(pid_of "$dir" "$name" 2))"
    fi
    # A port already taken would make await() see another process's answers as this node's.
    local port
    for port in "$(http_port "$dir" "$name")" "$(($(http_port "$dir" "$name") + 100))"; do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            die "port $port is already in use; $name not started"
        fi
    done
    forget "$dir" "$name"
    rm -f "$fifo"
    mkfifo "$fifo"
    # The holder blocks opening the fifo until the node opens it for reading, then holds it.
    tail -f /dev/null --pid="$OWNER" >"$fifo" 2>/dev/null </dev/null &
    local holder=$!
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of words
    java $JAVA_OPTS -cp "$HERE/target/classes:$HERE/target/lib/*" "$MAIN" "${args[@]}" \
        <"$fifo" >>"$dir/$name.log" 2>&1 &
    local pid=$!
    echo "$name $pid $holder" >>"$dir/pids"
}

# Writes DIR/NAME.args for one node.
node_args() {
    local dir="$1" name="$2" port="$3" cluster="$4"
    shift 4
    mkdir -p "$dir/$name"
    printf '%s\n' --home "$dir/$name" --name "$name" --cluster "$cluster" \
        --http-port "$port" --transport-port "$((port + 100))" "$@" >"$dir/$name.args"
}

http_port() {
    local dir="$1" name="$2"
    awk 'prev == "--http-port" { print; exit } { prev = $0 }' "$dir/$name.args"
}

# Fails with the last lines of NAME's log, after ending what is left of it.
fail_start() {
    local dir="$1" name="$2" why="$3"
    local pid holder
    pid="$(pid_of "$dir" "$name" 2)"
    holder="$(pid_of "$dir" "$name" 3)"
    if is_ours "$pid" "--home $dir/$name "; then kill -KILL "$pid" 2>/dev/null || true; fi
    if is_ours "$holder" "--pid="; then kill "$holder" 2>/dev/null || true; fi
    forget "$dir" "$name"
    echo "cluster.sh: $name $why; last lines of $dir/$name.log:" >&2
    tail -n 40 "$dir/$name.log" >&2
    exit 1
}

# Waits until the node NAME answers a yellow health request, or fails with its log tail.
await() {
    local dir="$1" name="$2" query="$3"
    local port pid deadline
    port="$(http_port "$dir" "$name")"
    pid="$(pid_of "$dir" "$name" 2)"
    deadline=$((SECONDS + TIMEOUT))
    while ((SECONDS < deadline)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            fail_start "$dir" "$name" "(pid $pid) exited while starting"
        fi
        if curl -fsS -m 5 -o /dev/null \
            "http://127.0.0.1:$port/_cluster/health?wait_for_status=yellow&timeout=2s$query" 2>/dev/null; then
            return 0
        fi
        sleep 1
    done
    fail_start "$dir" "$name" "did not become ready on port $port within ${TIMEOUT}s"
}

# Ends one node (signal TERM or KILL) and its holder, and waits for the node to exit.
end_node() {
    local dir="$1" name="$2" signal="$3"
    local pid holder
    pid="$(pid_of "$dir" "$name" 2)"
    holder="$(pid_of "$dir" "$name" 3)"
    [[ -n "$pid" ]] || die "no running node $name recorded in $dir/pids"
    if is_ours "$pid" "--home $dir/$name "; then
        kill "-$signal" "$pid" 2>/dev/null || true
        local deadline=$((SECONDS + 60))
        while kill -0 "$pid" 2>/dev/null; do
            if ((SECONDS >= deadline)); then
                echo "cluster.sh: $name (pid $pid) ignored SIG$signal for 60s; killing it" >&2
                kill -KILL "$pid" 2>/dev/null || true
                deadline=$((SECONDS + 60))
            fi
            sleep 0.2
        done
    fi
    if is_ours "$holder" "--pid="; then
        kill "$holder" 2>/dev/null || true
    fi
    forget "$dir" "$name"
    rm -f "$dir/$name.stdin"
}

abs_dir() {
    mkdir -p "$1"
    (cd "$1" && pwd)
}

port_arg() {
    [[ "$1" =~ ^[0-9]+$ ]] && (($1 > 0 && $1 < 65436)) || die "bad port $1"
}

cmd="${1:-}"
case "$cmd" in
build)
    build
    ;;
launcher)
    build
    launcher
    ;;
start-single)
    (($# == 3)) || usage
    port_arg "$2"
    dir="$(abs_dir "$3")"
    build
    node_args "$dir" n1 "$2" "newsdex-test-$2" --roles cluster_manager,data,ingest
    launch "$dir" n1
    await "$dir" n1 ""
    echo "n1 ready on http://127.0.0.1:$2 (pid $(pid_of "$dir" n1 2))" >&2
    ;;
start-pair)
    (($# == 4)) || usage
    port_arg "$2"
    port_arg "$3"
    dir="$(abs_dir "$4")"
    build
    seeds="127.0.0.1:$(($2 + 100)),127.0.0.1:$(($3 + 100))"
    node_args "$dir" n1 "$2" "newsdex-test-$2" --roles cluster_manager,data,ingest \
        --seed-hosts "$seeds" --initial-managers n1
    node_args "$dir" n2 "$3" "newsdex-test-$2" --roles data,ingest --seed-hosts "$seeds"
    launch "$dir" n1
    launch "$dir" n2
    await "$dir" n1 "&wait_for_nodes=2"
    await "$dir" n2 "&wait_for_nodes=2"
    echo "n1 ready on http://127.0.0.1:$2, n2 on http://127.0.0.1:$3" >&2
    ;;
kill-node)
    (($# == 3)) || usage
    dir="$(abs_dir "$2")"
    end_node "$dir" "$3" KILL
    ;;
restart-node)
    (($# == 3)) || usage
    dir="$(abs_dir "$2")"
    [[ -f "$dir/$3.args" ]] || die "no node $3 was started in $dir"
    build
    launch "$dir" "$3"
    await "$dir" "$3" ""
    echo "$3 ready on http://127.0.0.1:$(http_port "$dir" "$3")" >&2
    ;;
stop)
    (($# == 2)) || usage
    dir="$(abs_dir "$2")"
    if [[ -f "$dir/pids" ]]; then
        # Last started first, so a data node does not watch its cluster manager go.
        for name in $(awk '{ print $1 }' "$dir/pids" | tac); do
            end_node "$dir" "$name" TERM
        done
    fi
    ;;
*)
    usage
    ;;
esac
