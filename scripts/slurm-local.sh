#!/bin/sh
# slurm-local.sh - a single-node Slurm cluster on 127.0.0.1, for tests.
#   sh scripts/slurm-local.sh start  WORKDIR    munged, slurmctld, slurmd; waits for "idle"
#   sh scripts/slurm-local.sh stop   WORKDIR    stops exactly the daemons `start` started
#   sh scripts/slurm-local.sh status WORKDIR    sinfo, and the line clients need:
#                                               export SLURM_CONF=WORKDIR/slurm.conf
#   sh scripts/slurm-local.sh env    WORKDIR    only that export line (eval "$(... env W)")
#   sh scripts/slurm-local.sh array  WORKDIR N CMD [ARG...]
#         run CMD as an N-task array job (sbatch --wait): every task runs CMD
#         in the current directory with SLURM_ARRAY_TASK_ID (0..N-1) and
#         SLURM_ARRAY_TASK_COUNT (N) set; prints each task's output
#         (WORKDIR/array/JOB_TASK.out) and exits 0 only if every task did.
#         e.g.  ... array W 3 sh -c 'ternforge sweep ... --shard $SLURM_ARRAY_TASK_ID/3'
#
# Needs root and the Debian packages slurm-wlm and munge. Everything the
# cluster writes stays in WORKDIR: the munge key, munged's socket, pid,
# seed and log, slurm.conf, slurmctld's state, slurmd's spool, pids and
# logs. Nothing under /etc, /run or /var is read or written: munged gets
# every path as an option, Slurm finds munged's socket through AuthInfo in
# our slurm.conf, and clients find slurm.conf through SLURM_CONF. What is
# shared with the rest of the machine (unavoidable): two TCP ports on
# 127.0.0.1, picked free at start (SLURM_LOCAL_PORT=P asks for P and P+1),
# and the host name, which Slurm requires as the node's name.
#
# `start` on a WORKDIR whose daemons still run (an earlier start, a test
# killed before its trap) stops them first; `stop` kills only pids from
# WORKDIR's pid files whose command line names WORKDIR, so a recycled pid
# or another cluster (another WORKDIR, a system Slurm) is never touched.
set -u

die() { echo "slurm-local: $*" >&2; exit 1; }

[ $# -ge 2 ] || die "usage: slurm-local.sh start|stop|status|env WORKDIR | array WORKDIR N CMD [ARG...]"
cmd=$1
mkdir -p "$2" || die "cannot create $2"
W=$(cd "$2" && pwd) || exit 1
shift 2
CONF=$W/slurm.conf
HOST=$(hostname -s 2>/dev/null || hostname)
export SLURM_CONF="$CONF"

# pid_of NAME: the pid in W/run/NAME.pid if that process runs and its
# command line names W (not a recycled pid), else nothing
pid_of() {
    f=$W/run/$1.pid
    [ -s "$f" ] || return 1
    p=$(cat "$f")
    case $p in '' | *[!0-9]*) return 1 ;; esac
    [ -r "/proc/$p/cmdline" ] || return 1
    tr '\0' ' ' < "/proc/$p/cmdline" | grep -qF "$W/" || return 1
    echo "$p"
}

stop_one() { # NAME
    p=$(pid_of "$1") || { rm -f "$W/run/$1.pid"; return 0; }
    kill "$p" 2>/dev/null
    i=0
    while [ -d "/proc/$p" ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
    if [ -d "/proc/$p" ]; then
        echo "slurm-local: $1 ($p) did not stop on TERM; killing it" >&2
        kill -9 "$p" 2>/dev/null
    fi
    rm -f "$W/run/$1.pid"
    echo "slurm-local: stopped $1 ($p)"
}

do_stop() {
    # jobs first, so no slurmstepd outlives its slurmd (only if ours runs)
    if pid_of slurmctld > /dev/null && [ -f "$CONF" ]; then
        timeout 10 scancel --quiet --user="$(id -un)" > /dev/null 2>&1
    fi
    stop_one slurmd
    stop_one slurmctld
    stop_one munged
}

port_free() {
    ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
}

pick_ports() {
    if [ -n "${SLURM_LOCAL_PORT:-}" ]; then
        P=$SLURM_LOCAL_PORT
        port_free "$P" && port_free $((P + 1)) || die "ports $P/$((P + 1)) are in use"
        return
    fi
    # start somewhere that depends on WORKDIR, so two clusters rarely race
    P=$(( 20000 + $(printf '%s' "$W" | cksum | cut -d' ' -f1) % 20000 ))
    n=0
    while ! port_free "$P" || ! port_free $((P + 1)); do
        P=$((P + 2)); n=$((n + 1))
        [ $P -lt 65000 ] || P=20000
        [ $n -lt 200 ] || die "no two free ports found"
    done
}

write_conf() {
    cat > "$CONF" <<EOF
# slurm.conf - written by scripts/slurm-local.sh for a one-node test
# cluster; every path is in $W.
ClusterName=tflocal
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$P
SlurmdPort=$((P + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$W/munge/munge.socket
StateSaveLocation=$W/state
SlurmdSpoolDir=$W/spool
SlurmctldPidFile=$W/run/slurmctld.pid
SlurmdPidFile=$W/run/slurmd.pid
SlurmctldLogFile=$W/log/slurmctld.log
SlurmdLogFile=$W/log/slurmd.log
# no cgroups: plain process tracking, no task containment
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
# several one-CPU tasks share the node
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SlurmdTimeout=60
InactiveLimit=0
MinJobAge=30
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=local Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
}

show_logs() {
    for l in "$W/munge/munged.log" "$W/log/slurmctld.log" "$W/log/slurmd.log"; do
        [ -s "$l" ] && { echo "--- $l"; tail -15 "$l"; }
    done >&2
}

do_start() {
    [ "$(id -u)" = 0 ] || die "start needs root (slurmd runs jobs as any user)"
    for b in munged slurmctld slurmd sinfo sbatch; do
        command -v $b > /dev/null || [ -x /usr/sbin/$b ] || die "$b not found (Debian packages slurm-wlm, munge)"
    done
    PATH=$PATH:/usr/sbin
    do_stop > /dev/null
    rm -rf "$W/state" "$W/spool" "$W/log" "$W/run" "$W/munge"
    mkdir -p "$W/state" "$W/spool" "$W/log" "$W/run" "$W/munge" || die "cannot create directories in $W"
    chmod 700 "$W/munge"
    # munge: a private key, a private socket; munged wants the key 0400
    if command -v mungekey > /dev/null || [ -x /usr/sbin/mungekey ]; then
        mungekey --create --keyfile="$W/munge/munge.key" > /dev/null 2>&1
    fi
    [ -s "$W/munge/munge.key" ] ||
        dd if=/dev/urandom of="$W/munge/munge.key" bs=1024 count=1 2> /dev/null
    chmod 400 "$W/munge/munge.key"
    # --force: munged refuses directories it deems insecure (e.g. a
    # group-writable parent of WORKDIR); the key and socket stay 0400/0700
    munged --force --key-file="$W/munge/munge.key" --socket="$W/munge/munge.socket" \
        --pid-file="$W/run/munged.pid" --log-file="$W/munge/munged.log" \
        --seed-file="$W/munge/munged.seed" || { show_logs; die "munged did not start"; }
    pick_ports
    write_conf
    # -c: a cold start, no state from an earlier run of this WORKDIR
    slurmctld -c -f "$CONF" || { show_logs; do_stop > /dev/null; die "slurmctld did not start"; }
    slurmd -f "$CONF" -N "$HOST" || { show_logs; do_stop > /dev/null; die "slurmd did not start"; }
    i=0
    while :; do
        s=$(sinfo -h -N -n "$HOST" -o %T 2> /dev/null | head -1)
        [ "$s" = idle ] && break
        i=$((i + 1))
        if [ $i -ge 60 ]; then
            echo "slurm-local: the node is '${s:-not reported}' after 30 s" >&2
            show_logs
            do_stop > /dev/null
            exit 1
        fi
        sleep 0.5
    done
    echo "slurm-local: running on 127.0.0.1:$P (node $HOST, $(nproc) CPUs, partition local)"
    echo "export SLURM_CONF=$CONF"
}

do_array() {
    [ $# -ge 2 ] || die "usage: slurm-local.sh array WORKDIR N CMD [ARG...]"
    n=$1; shift
    case $n in '' | *[!0-9]* | 0) die "array: N must be a positive integer" ;; esac
    pid_of slurmctld > /dev/null || die "no cluster runs in $W (slurm-local.sh start $W)"
    mkdir -p "$W/array"
    cat > "$W/array/task.sh" <<'EOF'
#!/bin/sh
# one task of `slurm-local.sh array`: the command given, with the task count
SLURM_ARRAY_TASK_COUNT=${SLURM_ARRAY_TASK_COUNT:-$TF_ARRAY_N}
export SLURM_ARRAY_TASK_COUNT
exec "$@"
EOF
    out=$(TF_ARRAY_N=$n sbatch --parsable --wait --array="0-$((n - 1))" --job-name=slurm-local-array \
        --chdir="$(pwd)" --output="$W/array/%A_%a.out" "$W/array/task.sh" "$@")
    rc=$?
    job=${out%%;*}
    for i in $(seq 0 $((n - 1))); do
        f=$W/array/${job}_$i.out
        echo "--- task $i ($f)"
        [ -f "$f" ] && cat "$f"
    done
    return $rc
}

case $cmd in
start) do_start ;;
stop) do_stop ;;
status)
    for d in munged slurmctld slurmd; do
        p=$(pid_of $d) && echo "$d: running ($p)" || echo "$d: not running"
    done
    [ -f "$CONF" ] && pid_of slurmctld > /dev/null && sinfo
    echo "export SLURM_CONF=$CONF"
    ;;
env) echo "export SLURM_CONF=$CONF" ;;
array) do_array "$@" ;;
*) die "unknown command '$cmd' (start, stop, status, env, array)" ;;
esac
