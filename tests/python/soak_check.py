"""Python's view of a cache after a writer was killed: the warnings of the
library's check() (without fixing), and count/size against the table.

Serves many requests from one process, so a soak of many kills does not pay
for starting Python each time: reads a directory per line on stdin, answers
one JSON line per request on stdout.

usage: soak_check.py   (then DIRECTORY lines on stdin)
"""
import json
import sys
import warnings

import diskcache


def look(directory):
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        with diskcache.Cache(directory) as cache:
            found = [str(w.message) for w in cache.check(fix=False)]
            return {
                "check": sorted(found),
                "count": len(cache),
                "table_count": cache._sql("SELECT COUNT(*) FROM Cache").fetchone()[0],
                "size": cache.reset("size"),
                "table_size": cache._sql("SELECT COALESCE(SUM(size), 0) FROM Cache").fetchone()[0],
            }


for line in sys.stdin:
    sys.stdout.write(json.dumps(look(line.rstrip("\n"))) + "\n")
    sys.stdout.flush()
