#!/bin/sh
# komari-ts agent installer, served by a komari-ts server at /api/agent/install.sh (source:
# packages/agent/scripts/install.sh; scripts/build.ts fills in the @-words).
#
#   curl -fsSL http://SERVER/api/agent/install.sh | sh -s -- -e http://SERVER -t TOKEN
#   wget -qO- http://SERVER/api/agent/install.sh | sh -s -- -e http://SERVER -t TOKEN
#
# Installs the agent (one JavaScript file) and, when this host has no Node.js >= @MIN_NODE_MAJOR@,
# the server's own Node runtime into one directory, all downloaded from the server given with -e,
# then runs it as a systemd or OpenRC service (or in this terminal with --foreground).
# `sh install.sh --help` lists the options. Everything is inside main(), called on the last
# line, so a download cut short runs nothing and the commands cannot read the rest of the pipe.

main() {
  set -eu
  set -f # no globbing: every value below is checked and expanded as one word or not at all
  NODE_FLAGS='@NODE_FLAGS@'
  MIN_NODE_MAJOR=@MIN_NODE_MAJOR@
  SERVICE=komari-agent
  MARKER=.komari-agent-install

  endpoint='' token='' key='' dir="${KOMARI_AGENT_DIR:-/opt/komari-agent}" root='' init=''
  foreground=0 no_start=0 uninstall=0 insecure=0 extra=''
  while [ $# -gt 0 ]; do
    case $1 in
      -e | --endpoint) need_value "$@"; endpoint=$2; shift ;;
      --endpoint=*) endpoint=${1#*=} ;;
      -t | --token) need_value "$@"; token=$2; shift ;;
      --token=*) token=${1#*=} ;;
      --auto-discovery) need_value "$@"; key=$2; shift ;;
      --auto-discovery=*) key=${1#*=} ;;
      --dir) need_value "$@"; dir=$2; shift ;;
      --dir=*) dir=${1#*=} ;;
      --root) need_value "$@"; root=$2; shift ;;
      --root=*) root=${1#*=} ;;
      --init) need_value "$@"; init=$2; shift ;;
      --init=*) init=${1#*=} ;;
      --foreground) foreground=1 ;;
      --no-start) no_start=1 ;;
      --uninstall) uninstall=1 ;;
      -h | --help) usage; return 0 ;;
      *)
        # Any other argument is the agent's own (-i 1, --disable-web-ssh, …), kept for ExecStart.
        safe_word "$1" || die "agent argument '$1': only letters, digits and . _ ~ : / @ + = , - are accepted"
        case $1 in -u | --ignore-unsafe-cert | --ignore-unsafe-cert=true) insecure=1 ;; esac
        extra="$extra $1"
        ;;
    esac
    shift
  done

  insecure_curl='' insecure_wget=''
  if [ "$insecure" = 1 ]; then insecure_curl=1 insecure_wget=1; fi
  check_paths
  target="$root$dir"
  envfile="$target/agent.env"
  systemd_unit="$root/etc/systemd/system/$SERVICE.service"
  openrc_script="$root/etc/init.d/$SERVICE"
  # A prefix is for tests and image builds: the service manager of this host is never touched.
  [ -z "$root" ] || no_start=1
  [ -n "$init" ] || init=$(detect_init)

  if [ "$uninstall" = 1 ]; then
    do_uninstall
    return 0
  fi
  check_settings
  [ -n "$root" ] || [ "$foreground" = 1 ] || [ "$(id -u)" = 0 ] ||
    die "installing a service needs root: run the line with sudo (… | sudo sh -s -- …), or use --foreground with a --dir you can write"
  [ "$foreground" = 1 ] || [ "$init" != none ] ||
    die "neither systemd nor OpenRC runs on this host: use --foreground (under your own supervisor), or --init systemd|openrc --no-start to write the service file only"

  umask 022
  mkdir -p "$target"
  chmod 755 "$target"
  printf '%s\n' 'installed by komari-ts install.sh; `--uninstall` removes this directory' >"$target/$MARKER"
  node=$(pick_node)
  # .part.cjs: Node reads it as CommonJS whatever package.json lies above the directory
  fetch "$endpoint/api/agent/komari-agent.cjs" "$target/komari-agent.part.cjs" ||
    die "could not download the agent from $endpoint/api/agent/komari-agent.cjs$(server_says "$endpoint/api/agent/komari-agent.cjs")"
  # shellcheck disable=SC2086 # NODE_FLAGS is several words
  "$node" $NODE_FLAGS "$target/komari-agent.part.cjs" --help >/dev/null 2>&1 </dev/null ||
    die "the agent downloaded from $endpoint does not start with $node"
  chmod 644 "$target/komari-agent.part.cjs"
  mv -f "$target/komari-agent.part.cjs" "$target/komari-agent.cjs"
  write_env
  say "agent installed in $target (Node.js $("$node" --version </dev/null) at $node)"

  if [ "$foreground" = 1 ]; then
    say "running in the foreground (Ctrl-C stops it)"
    cd "$target"
    set -a
    . "$envfile"
    set +a
    # shellcheck disable=SC2086 # NODE_FLAGS and extra are lists of checked words
    exec "$node" $NODE_FLAGS "$target/komari-agent.cjs" $extra </dev/null
  fi
  case $init in
    systemd) write_systemd_unit ;;
    openrc) write_openrc_script ;;
  esac
  if [ "$no_start" = 1 ]; then
    say "not started (--no-start or --root)"
    return 0
  fi
  start_service
}

usage() {
  cat <<'EOF'
komari-ts agent installer

  … | sh -s -- -e URL -t TOKEN [options] [agent flags]
  … | sh -s -- -e URL --auto-discovery KEY [options] [agent flags]
  … | sh -s -- --uninstall

  -e, --endpoint URL        the komari-ts server (every download comes from it)
  -t, --token TOKEN         the node's token (from the admin's install dialog)
      --auto-discovery KEY  register as a new node with the server's auto-discovery key
      --dir DIR             install directory (default /opt/komari-agent; KOMARI_AGENT_DIR)
      --root DIR            prefix for every path written, the unit's too (tests, images);
                            implies --no-start
      --init systemd|openrc the service manager (default: the one running here)
      --foreground          no service: run the agent in this terminal
      --no-start            write the service file, do not enable or start it
      --uninstall           stop and remove the service and the install directory
  Other flags go to the agent (e.g. -i 1, --disable-web-ssh); see `node komari-agent.cjs --help`.
  The token or key is written only to DIR/agent.env, readable by root alone.
EOF
}

say() { printf 'komari-agent install: %s\n' "$*" >&2; }
die() {
  say "error: $*"
  exit 1
}
need_value() { [ $# -ge 2 ] || die "$1 needs a value"; }

# One word safe in a shell, a systemd unit and an OpenRC script: nothing to expand, quote or split.
safe_word() {
  case $1 in
    '' | *[!A-Za-z0-9._~:/@+=,-]*) return 1 ;;
  esac
  return 0
}

# An absolute path of safe characters, without `..`, so `rm -rf` can only remove what we made.
safe_path() {
  case $1 in
    /*) ;;
    *) return 1 ;;
  esac
  case $1 in
    *[!A-Za-z0-9._/-]* | */../* | */.. | *//*) return 1 ;;
  esac
  return 0
}

check_paths() {
  dir=${dir%/}
  root=${root%/}
  safe_path "$dir" && [ "$dir" != / ] && [ -n "$dir" ] ||
    die "--dir '$dir': must be an absolute path of letters, digits and . _ / - (not /, no ..)"
  [ -z "$root" ] || safe_path "$root" || die "--root '$root': must be an absolute path of letters, digits and . _ / - (no ..)"
  case $init in
    '' | systemd | openrc) ;;
    *) die "--init: systemd or openrc" ;;
  esac
}

check_settings() {
  endpoint=${endpoint%/}
  [ -n "$endpoint" ] || die "-e/--endpoint is required: the server's URL, e.g. -e http://panel.example.com:25774"
  case $endpoint in
    http://?* | https://?*) ;;
    *) die "-e/--endpoint must start with http:// or https://" ;;
  esac
  # `]` first and `-` last: literal inside the bracket expression
  case ${endpoint#*://} in
    *[!][A-Za-z0-9._~:/@+=,-]*) die "-e/--endpoint: only letters, digits and . _ ~ : / @ + = , - [ ] are accepted (no shell metacharacters)" ;;
  esac
  [ -n "$token" ] || [ -n "$key" ] || die "-t/--token or --auto-discovery is required"
  [ -z "$token" ] || safe_word "$token" || die "-t/--token: only letters, digits and . _ ~ : / @ + = , - are accepted"
  [ -z "$key" ] || safe_word "$key" || die "--auto-discovery: only letters, digits and . _ ~ : / @ + = , - are accepted; choose such a key in the server's settings"
  if [ "$foreground" = 1 ] && [ "$uninstall" = 1 ]; then die "--foreground and --uninstall do not go together"; fi
}

detect_init() {
  if [ -d /run/systemd/system ]; then
    echo systemd
  elif command -v openrc-run >/dev/null 2>&1 && [ -d /run/openrc ]; then
    echo openrc
  elif [ -n "$root" ]; then
    echo systemd
  else
    echo none
  fi
}

# fetch URL FILE: curl or wget, failing on an HTTP error. With the agent's -u, TLS is not checked.
fetch() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 ${insecure_curl:+-k} -o "$2" "$1" </dev/null || { rm -f "$2"; return 1; }
  elif command -v wget >/dev/null 2>&1; then
    wget -q ${insecure_wget:+--no-check-certificate} -O "$2" "$1" </dev/null || { rm -f "$2"; return 1; }
  else
    die "neither curl nor wget is installed"
  fi
}

# Why the server refused URL: the `message` of its JSON answer (asked again, without failing on
# the status), or nothing when it does not say.
server_says() {
  if command -v curl >/dev/null 2>&1; then
    body=$(curl -sSL ${insecure_curl:+-k} "$1" 2>/dev/null </dev/null | head -c 2000) || true
  else
    body=$(wget -q --content-on-error ${insecure_wget:+--no-check-certificate} -O- "$1" 2>/dev/null </dev/null | head -c 2000) || true
  fi
  printf '%s' "$body" | sed -n 's/.*"message":"\([^"]*\)".*/ (the server says: \1)/p' | head -n 1
}

# The major version of the Node at $1, or nothing when it does not run.
node_major() {
  v=$("$1" --version 2>/dev/null </dev/null) || return 0
  v=${v#v}
  v=${v%%.*}
  case $v in
    '' | *[!0-9]*) ;;
    *) echo "$v" ;;
  esac
}

node_ok() {
  m=$(node_major "$1")
  [ -n "$m" ] && [ "$m" -ge "$MIN_NODE_MAJOR" ]
}

# Node's names for this host, as the server's process.platform and process.arch say them.
host_os() { uname -s | tr 'A-Z' 'a-z' | tr -cd 'a-z0-9_'; }
host_arch() {
  m=$(uname -m)
  case $m in
    x86_64 | amd64) echo x64 ;;
    aarch64 | arm64 | armv8*) echo arm64 ;;
    armv7* | armv6*) echo arm ;;
    i386 | i486 | i586 | i686) echo ia32 ;;
    ppc64le) echo ppc64 ;;
    loongarch64) echo loong64 ;;
    *) printf '%s' "$m" | tr 'A-Z' 'a-z' | tr -cd 'a-z0-9_' ;;
  esac
}

# The Node the agent runs on: this host's when it is new enough, else the server's runtime.
pick_node() {
  host=$(command -v node 2>/dev/null || true)
  if [ -n "$host" ] && safe_path "$host" && node_ok "$host"; then
    rm -f "$target/node"
    echo "$host"
    return 0
  fi
  if [ -x "$target/node" ] && node_ok "$target/node"; then
    echo "$target/node"
    return 0
  fi
  os=$(host_os)
  arch=$(host_arch)
  found='none on PATH'
  if [ -n "$host" ]; then found="$host is $("$host" --version 2>/dev/null </dev/null || echo 'not runnable')"; fi
  say "no Node.js >= $MIN_NODE_MAJOR here ($found): downloading the server's runtime for $os/$arch"
  url="$endpoint/api/agent/node?os=$os&arch=$arch"
  fetch "$url" "$target/node.part" ||
    die "could not get a Node.js runtime for $os/$arch from the server$(server_says "$url"). Install Node.js $MIN_NODE_MAJOR or later on this host (https://nodejs.org/en/download) and run the line again"
  chmod 755 "$target/node.part"
  node_ok "$target/node.part" || {
    rm -f "$target/node.part"
    die "the server's Node.js runtime does not run on this $os/$arch host (another C library, e.g. musl?). Install Node.js $MIN_NODE_MAJOR or later here and run the line again"
  }
  mv -f "$target/node.part" "$target/node"
  echo "$target/node"
}

# The agent's endpoint and secret, for the unit's EnvironmentFile and the OpenRC script: 0600.
write_env() {
  rm -f "$envfile.part"
  (
    umask 077 # created unreadable to others, never chmod-ed down afterwards
    {
      echo '# komari-ts agent settings (install.sh); readable by root only: it holds a secret'
      echo "AGENT_ENDPOINT='$endpoint'"
      if [ -n "$token" ]; then echo "AGENT_TOKEN='$token'"; fi
      if [ -n "$key" ]; then echo "AGENT_AUTO_DISCOVERY_KEY='$key'"; fi
    } >"$envfile.part"
  )
  chmod 600 "$envfile.part"
  mv -f "$envfile.part" "$envfile"
}

# The command line, each word double-quoted (systemd's and sh's quoting agree on checked words).
exec_line() {
  line="\"$node\""
  for w in $NODE_FLAGS "$target/komari-agent.cjs" $extra; do line="$line \"$w\""; done
  echo "$line"
}

write_systemd_unit() {
  mkdir -p "${systemd_unit%/*}"
  {
    echo '# komari-ts agent, written by install.sh (`--uninstall` removes it)'
    echo '[Unit]'
    echo 'Description=komari-ts agent'
    echo 'After=network-online.target'
    echo 'Wants=network-online.target'
    echo
    echo '[Service]'
    echo 'Type=simple'
    echo "EnvironmentFile=$envfile"
    echo "WorkingDirectory=$target"
    echo "ExecStart=$(exec_line)"
    echo 'Restart=always'
    echo 'RestartSec=5'
    echo
    echo '[Install]'
    echo 'WantedBy=multi-user.target'
  } >"$systemd_unit.part"
  chmod 644 "$systemd_unit.part"
  mv -f "$systemd_unit.part" "$systemd_unit"
  say "systemd unit written: $systemd_unit"
}

write_openrc_script() {
  mkdir -p "${openrc_script%/*}"
  args=''
  for w in $NODE_FLAGS "$target/komari-agent.cjs" $extra; do args="$args $w"; done
  {
    echo '#!/sbin/openrc-run'
    echo '# komari-ts agent, written by install.sh (`--uninstall` removes it)'
    echo 'name="komari-agent"'
    echo 'description="komari-ts agent"'
    echo "command=\"$node\""
    echo "command_args=\"${args# }\""
    echo 'command_background=true'
    echo "pidfile=\"/run/$SERVICE.pid\""
    echo "directory=\"$target\""
    echo "output_log=\"/var/log/$SERVICE.log\""
    echo "error_log=\"/var/log/$SERVICE.log\""
    echo 'depend() { need net; }'
    echo "start_pre() { set -a; . \"$envfile\"; set +a; }"
  } >"$openrc_script.part"
  chmod 755 "$openrc_script.part"
  mv -f "$openrc_script.part" "$openrc_script"
  say "OpenRC script written: $openrc_script"
}

start_service() {
  case $init in
    systemd)
      systemctl daemon-reload
      systemctl enable "$SERVICE.service" >/dev/null 2>&1
      systemctl restart "$SERVICE.service"
      say "started: systemctl status $SERVICE; journalctl -u $SERVICE -f"
      ;;
    openrc)
      rc-update add "$SERVICE" default >/dev/null
      rc-service "$SERVICE" restart
      say "started: rc-service $SERVICE status; /var/log/$SERVICE.log"
      ;;
  esac
}

do_uninstall() {
  if [ -z "$root" ]; then
    [ "$(id -u)" = 0 ] || die "uninstalling the service needs root (sudo)"
    if [ -f "$systemd_unit" ] && command -v systemctl >/dev/null 2>&1; then
      systemctl disable --now "$SERVICE.service" >/dev/null 2>&1 || true
    fi
    if [ -f "$openrc_script" ] && command -v rc-service >/dev/null 2>&1; then
      rc-service "$SERVICE" stop >/dev/null 2>&1 || true
      rc-update del "$SERVICE" default >/dev/null 2>&1 || true
    fi
  fi
  rm -f "$systemd_unit" "$openrc_script"
  if [ -z "$root" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
  if [ -f "$target/$MARKER" ]; then
    rm -rf "$target"
    say "removed $target and the service"
  elif [ -d "$target" ]; then
    say "$target was not made by this installer (no $MARKER in it): left as it is"
  else
    say "removed the service; $target was already gone"
  fi
}

main "$@"
