"""Writes to a cache the GUI has open, as another process would, then checks
that no reader holds back a WAL checkpoint.

usage: live_write.py DIR KEY [KEY...]   (each KEY set to "live value"; tag "live")

Prints JSON: len after the writes, and the checkpoint's busy flag (0 when
no connection kept a read transaction open).
"""
import json
import sys

import diskcache


def main():
    directory, keys = sys.argv[1], sys.argv[2:]
    cache = diskcache.Cache(directory)
    for key in keys:
        cache.set(key, "live value", tag="live")
    busy, _log, _done = cache._sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    print(json.dumps({"len": len(cache), "checkpoint_busy": busy}))
    cache.close()


if __name__ == "__main__":
    main()
