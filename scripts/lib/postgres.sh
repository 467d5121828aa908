# shellcheck shell=bash
# Sourced by scripts/serve and scripts/test (never executed directly): Debian packages and a project-owned
# PostgreSQL cluster.
#
#   sightline_ensure_packages PKG...        apt-get install what is missing (apt-get update once, first)
#   sightline_pg_bindir                      prints the newest /usr/lib/postgresql/*/bin
#   sightline_pg_init DATADIR                initdb (first time only), as the `postgres` user when root
#   sightline_pg_start DATADIR SOCKDIR PORT  starts the cluster: unix socket only (no TCP), trust for local users
#   sightline_pg_stop DATADIR                fast shutdown (no-op when not running)
#   sightline_pg_createdb SOCKDIR PORT NAME  creates database NAME if missing
#   sightline_pg_ctl_script DATADIR SOCKDIR PORT FILE   writes FILE: `FILE start|stop` (used by the restart test)
#
# As root, PostgreSQL refuses to run as root: initdb/pg_ctl run as `postgres` (runuser), which must be able to
# enter every folder above DATADIR and SOCKDIR; sightline_pg_make_reachable adds o+x where needed.

SIGHTLINE_APT_UPDATED=${SIGHTLINE_APT_UPDATED:-0}

sightline_as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

sightline_ensure_packages() {
    local missing=()
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "==> installing Debian packages: ${missing[*]}" >&2
    if [ "$SIGHTLINE_APT_UPDATED" != 1 ]; then
        sightline_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        SIGHTLINE_APT_UPDATED=1
    fi
    sightline_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

sightline_pg_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
        echo "postgres: no PostgreSQL server found under /usr/lib/postgresql (install the 'postgresql' package)" >&2
        return 1
    fi
    echo "$dir"
}

# Run a PostgreSQL server binary as the cluster owner.
sightline_pg_run() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# Every folder above $1 must be enterable (x) by the postgres user when we are root.
sightline_pg_make_reachable() {
    [ "$(id -u)" -eq 0 ] || return 0
    local dir
    dir=$(cd "$1" && pwd)
    while [ "$dir" != "/" ]; do
        dir=$(dirname "$dir")
        if ! runuser -u postgres -- test -x "$dir"; then
            echo "==> chmod o+x $dir (so that the postgres user can reach the cluster)" >&2
            chmod o+x "$dir"
        fi
    done
}

sightline_pg_owned_dir() {
    mkdir -p "$1"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$1"; fi
    chmod 700 "$1"
}

sightline_pg_init() {
    local datadir=$1 bindir
    bindir=$(sightline_pg_bindir) || return 1
    if [ -f "$datadir/PG_VERSION" ]; then return 0; fi
    echo "==> creating PostgreSQL cluster in $datadir" >&2
    sightline_pg_owned_dir "$datadir"
    sightline_pg_make_reachable "$datadir"
    sightline_pg_run "$bindir/initdb" -D "$datadir" -U postgres --auth-local=trust --auth-host=reject \
        -E UTF8 --locale=C.UTF-8 >"$datadir/../initdb.log" 2>&1 || {
        cat "$datadir/../initdb.log" >&2
        return 1
    }
}

sightline_pg_is_running() {
    local datadir=$1 bindir
    bindir=$(sightline_pg_bindir) || return 1
    sightline_pg_run "$bindir/pg_ctl" -D "$datadir" status >/dev/null 2>&1
}

sightline_pg_start() {
    local datadir=$1 sockdir=$2 port=$3 bindir
    bindir=$(sightline_pg_bindir) || return 1
    sightline_pg_owned_dir "$sockdir"
    sightline_pg_make_reachable "$sockdir"
    if sightline_pg_is_running "$datadir"; then return 0; fi
    echo "==> starting PostgreSQL (socket $sockdir/.s.PGSQL.$port)" >&2
    sightline_pg_run "$bindir/pg_ctl" -D "$datadir" -l "$datadir/server.log" -w -t 60 \
        -o "-k $sockdir -p $port -c listen_addresses=''" start >/dev/null || {
        tail -n 30 "$datadir/server.log" >&2
        return 1
    }
}

sightline_pg_stop() {
    local datadir=$1 bindir
    bindir=$(sightline_pg_bindir) || return 0
    [ -f "$datadir/postmaster.pid" ] || return 0
    echo "==> stopping PostgreSQL" >&2
    sightline_pg_run "$bindir/pg_ctl" -D "$datadir" -m fast -w -t 60 stop >/dev/null 2>&1 || true
}

sightline_pg_createdb() {
    local sockdir=$1 port=$2 name=$3 bindir
    bindir=$(sightline_pg_bindir) || return 1
    if ! sightline_pg_run "$bindir/psql" -h "$sockdir" -p "$port" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
        sightline_pg_run "$bindir/createdb" -h "$sockdir" -p "$port" -U postgres "$name"
    fi
}

sightline_pg_ctl_script() {
    local datadir=$1 sockdir=$2 port=$3 file=$4 bindir runner=""
    bindir=$(sightline_pg_bindir) || return 1
    if [ "$(id -u)" -eq 0 ]; then runner="runuser -u postgres --"; fi
    cat >"$file" <<SCRIPT
#!/usr/bin/env bash
# Generated by scripts/test: start or stop the throwaway test cluster (used by the PostgreSQL restart test).
set -euo pipefail
case "\${1:-}" in
    stop) exec $runner "$bindir/pg_ctl" -D "$datadir" -m fast -w -t 60 stop ;;
    start) exec $runner "$bindir/pg_ctl" -D "$datadir" -l "$datadir/server.log" -w -t 60 \\
        -o "-k $sockdir -p $port -c listen_addresses=''" start ;;
    *) echo "usage: \$0 start|stop" >&2; exit 2 ;;
esac
SCRIPT
    chmod +x "$file"
}

# Standard Debian packages every build and run of Sightline needs.
SIGHTLINE_BUILD_PACKAGES=(postgresql libopenblas-dev libjpeg-dev libpng-dev pkg-config)
