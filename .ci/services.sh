#!/usr/bin/env bash
# Start the services the tests use; source this file (it exports their addresses).
#   PulseAudio with a null sink "vsink" and its monitor as the default source "vmic"
#   PostgreSQL on 127.0.0.1:$STUDIO_PG_PORT (throwaway cluster under /tmp)
#   a D-Bus session with an unlocked gnome-keyring (Secret Service) for `keyring`
# Stop them with: studio_services_stop
set -u

export STUDIO_SVC=${STUDIO_SVC:-/tmp/studio-svc}
export STUDIO_PG_PORT=${STUDIO_PG_PORT:-55432}
mkdir -p "$STUDIO_SVC"

# --- PulseAudio: a real PortAudio device without a sound card ---------------------------------
export XDG_RUNTIME_DIR=$STUDIO_SVC/xdg
mkdir -p "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
cat > "$STUDIO_SVC/default.pa" <<'PA'
load-module module-native-protocol-unix
load-module module-null-sink sink_name=vsink sink_properties=device.description=VirtualSink rate=48000 channels=2
load-module module-remap-source source_name=vmic master=vsink.monitor source_properties=device.description=VirtualMic
set-default-sink vsink
set-default-source vmic
PA
if ! pactl info >/dev/null 2>&1; then
  pulseaudio --daemonize=yes --exit-idle-time=-1 --disallow-exit -n -F "$STUDIO_SVC/default.pa" \
    --log-target=file:"$STUDIO_SVC/pulse.log" || echo "pulseaudio failed to start" >&2
  for _ in $(seq 100); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
fi

# --- PostgreSQL ---------------------------------------------------------------------------------
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -n "$PG_BIN" ]; then
  export PGDATA=$STUDIO_SVC/pg
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    rm -rf "$PGDATA"; mkdir -p "$PGDATA"; chown postgres "$PGDATA" "$STUDIO_SVC"
    su postgres -c "$PG_BIN/initdb -D $PGDATA -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null
  fi
  if ! su postgres -c "$PG_BIN/pg_ctl -D $PGDATA status" >/dev/null 2>&1; then
    su postgres -c "$PG_BIN/pg_ctl -D $PGDATA -l $STUDIO_SVC/pg.log -w -o '-p $STUDIO_PG_PORT -k $STUDIO_SVC -c listen_addresses=127.0.0.1' start" >/dev/null
  fi
  su postgres -c "psql -h 127.0.0.1 -p $STUDIO_PG_PORT -U postgres -tc \"select 1 from pg_database where datname='studio_test'\"" | grep -q 1 \
    || su postgres -c "createdb -h 127.0.0.1 -p $STUDIO_PG_PORT -U postgres studio_test"
  export STUDIO_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$STUDIO_PG_PORT/studio_test"
fi

studio_services_stop() {
  [ -f "$XDG_RUNTIME_DIR/pulse/pid" ] && kill "$(cat "$XDG_RUNTIME_DIR/pulse/pid")" 2>/dev/null
  [ -n "${PG_BIN:-}" ] && su postgres -c "$PG_BIN/pg_ctl -D $PGDATA -m fast stop" >/dev/null 2>&1
  return 0
}
