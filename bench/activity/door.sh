#!/usr/bin/env bash
# A crowd checking in at an activity's door: PEOPLE phones over SECONDS on loopback, against
# a fresh `kexie serve --demo` on SQLite (the default). Creates and publishes an activity as
# staff, runs `kexie loadgen door`, then reads the database: exactly one check-in per person,
# none lost, none doubled.
#
#   bash bench/activity/door.sh              # 2000 people over 600 s (the issue's figure)
#   PEOPLE=200 SECONDS_=60 bash bench/activity/door.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
PEOPLE=${PEOPLE:-2000}
SPAN=${SECONDS_:-600}
PORT=${PORT:-18471}
BIN=${BIN:-target/release/kexie}
[ -x "$BIN" ] || cargo build --release --bin kexie
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
BASE=http://127.0.0.1:$PORT
( cd "$WORK" && KEXIE_LISTEN=127.0.0.1:$PORT exec "$OLDPWD/$BIN" serve --demo >server.log 2>&1 ) &
SERVER=$!
for _ in $(seq 1 300); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 1; done
curl -sf "$BASE/healthz" >/dev/null || { echo "server did not start"; cat "$WORK/server.log"; exit 1; }

# Staff create and publish a lecture that started 10 minutes ago and runs for two hours.
JAR=$WORK/staff.jar
csrf() { grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//'; }
TOKEN=$(curl -s -c "$JAR" -b "$JAR" "$BASE/login" | csrf)
curl -s -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "_csrf=$TOKEN" -d username=staff \
  -d password=kexie-demo-2026 -d next=/ "$BASE/login"
FORM=$(curl -s -b "$JAR" "$BASE/activities/new")
TOKEN=$(echo "$FORM" | csrf)
ORG=$(echo "$FORM" | grep -o 'name="organiser_org_id".*' | grep -o 'option value="[0-9][0-9]*"' | sed -n 1p | grep -o '[0-9]*')
REGION=$(echo "$FORM" | grep -o 'id="f-region".*' | grep -o 'option value="[0-9][0-9]*"' | sed -n 2p | grep -o '[0-9]*')
START=$(TZ=Asia/Shanghai date -d '-10 min' +%Y-%m-%dT%H:%M)
END=$(TZ=Asia/Shanghai date -d '+110 min' +%Y-%m-%dT%H:%M)
LOCATION=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$JAR" --data-urlencode "_csrf=$TOKEN" \
  --data-urlencode "title=全国科普日主场活动：应急避险体验" -d kind=campaign_event \
  --data-urlencode "theme=全国科普日" -d "organiser_org_id=$ORG" --data-urlencode "place=通州区科技馆" \
  -d "region_id=$REGION" -d "starts_at=$START" -d "ends_at=$END" "$BASE/activities")
ID=${LOCATION##*/}
curl -s -o /dev/null -b "$JAR" --data-urlencode "_csrf=$TOKEN" -d step=publish "$BASE/activities/$ID/step"
KEY=$(curl -s -b "$JAR" "$BASE/activities/$ID" | grep -o 'door?k=[0-9a-f]*' | head -1 | cut -d= -f2)
echo "activity $ID published, check-in key $KEY; $PEOPLE people over $SPAN s"

"$BIN" loadgen door --url "$BASE" --activity "$ID" --key "$KEY" --people "$PEOPLE" --duration "$SPAN"

python3 - "$WORK/data/kexie.db" "$ID" "$PEOPLE" <<'PY'
import sqlite3, sys
db, activity, people = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
c = sqlite3.connect(db)
rows, phones, inside = c.execute(
    "SELECT COUNT(*), COUNT(DISTINCT phone), COUNT(checked_in_at) FROM activity_registration WHERE activity_id = ?",
    (activity,)).fetchone()
registered, = c.execute("SELECT registered FROM activity WHERE id = ?", (activity,)).fetchone()
audits, = c.execute(
    "SELECT COUNT(*) FROM audit_log WHERE action = 'check_in' AND entity = 'activity_registration'").fetchone()
print(f"database: {rows} registrations, {phones} distinct phones, {inside} checked in, seats taken {registered}, "
      f"{audits} check-in audit records")
ok = rows == phones == inside == registered == people and audits >= people
print("none lost, none doubled" if ok else "MISMATCH")
sys.exit(0 if ok else 1)
PY
