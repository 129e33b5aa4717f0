"""Drives docs/BOT-INTEGRATION.md's registry_admin_edits.py for BotKitAdminEditsTest: the bot's own bookings in
sqlite, a crash while applying one edit, a restart, a replay from the beginning, and an older edit re-published
after a newer one. Prints what happened as JSON."""
import json
import sqlite3
import sys

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

import registry_admin_edits
from registry_admin_edits import AdminEdits, TOPIC

bootstrap, db_path, bookings, crash_on, republish = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
ours = {b["id"] for b in bookings}
db = sqlite3.connect(db_path)
with db:
    db.execute("CREATE TABLE bookings (id INTEGER PRIMARY KEY, user_id INTEGER, course_stream TEXT, confirmed INTEGER, "
               "referral_code TEXT, discount_percent INTEGER)")
    for b in bookings:
        db.execute("INSERT INTO bookings VALUES (?, ?, ?, ?, ?, ?)", (b["id"], b["user_id"], b["course_stream"],
                                                                     b["confirmed"], b["referral_code"], b["discount_percent"]))
out = {"read": {}, "outcomes": {}, "snapshots": []}
raw = {}


class Recording(AdminEdits):
    def __init__(self, run, group, crash_on=None):
        super().__init__(bootstrap, db, on_booking_changed=out["snapshots"].append, group_id=group)
        self.run, self.crash_on = run, crash_on
        out["read"][run], out["outcomes"][run] = [], {}

    def apply(self, edit):
        if edit["booking_id"] in ours:
            out["read"][self.run].append(edit["edit_id"])
            raw[edit["edit_id"]] = edit
        if edit["edit_id"] == self.crash_on:
            self.crash_on = None
            raise RuntimeError("the bot's database went away")
        outcome = super().apply(edit)
        if edit["booking_id"] in ours:
            out["outcomes"][self.run][str(edit["edit_id"])] = outcome
        return outcome


def end_offsets():
    probe = KafkaConsumer(bootstrap_servers=bootstrap)
    partitions = [TopicPartition(TOPIC, p) for p in probe.partitions_for_topic(TOPIC)]
    ends = probe.end_offsets(partitions)
    probe.close()
    return ends


def until_caught_up(edits, ends):
    for _ in range(600):
        edits.poll_once(timeout_ms=200)
        if set(ends) <= edits.consumer.assignment() and all(edits.consumer.position(tp) >= end for tp, end in ends.items()):
            return
    raise TimeoutError("did not reach the end of " + TOPIC)


ends = end_offsets()
first = Recording("first", "kit-test-bot", crash_on=crash_on)
try:
    until_caught_up(first, ends)
except RuntimeError as crash:
    out["crashed"] = str(crash)
first.consumer.close(autocommit=False)  # the process dies: nothing more is committed

restarted = Recording("restarted", "kit-test-bot")
until_caught_up(restarted, ends)
restarted.consumer.close()

replay = Recording("replay", "kit-test-replay")
until_caught_up(replay, ends)
replay.consumer.close()

# a late re-publication of an older edit, after the newer edit of the same field was applied
producer = KafkaProducer(bootstrap_servers=bootstrap, retries=5)
old = raw[republish]
producer.send(TOPIC, key=str(old["user_id"]).encode(), value=json.dumps(old).encode()).get(timeout=30)
producer.close()
late = Recording("late", "kit-test-bot")
until_caught_up(late, end_offsets())
late.consumer.close()

out["bookings"] = [list(row) for row in db.execute("SELECT id, course_stream, confirmed, referral_code, discount_percent FROM bookings ORDER BY id")]
print(json.dumps(out))
