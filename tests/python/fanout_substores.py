"""FanoutCache's named sub-stores with the real library.

usage: fanout_substores.py write DIR   makes deque 'jobs/high', index 'users'
                                       and cache 'sessions' under FanoutCache(DIR)
       fanout_substores.py read DIR    prints what deque 'jobs/low', index
                                       'config' and cache 'tokens' hold
Prints JSON (interop_common.encode for values).
"""
import sys

import diskcache
from interop_common import dump, encode

mode, directory = sys.argv[1], sys.argv[2]
# FanoutCache(dir) makes eight shards; the sub-stores live beside them.
with diskcache.FanoutCache(directory) as fanout:
    if mode == "write":
        jobs = fanout.deque("jobs/high")
        jobs.extend([1, "two", b"3"])
        jobs.appendleft(("zero", 0))
        users = fanout.index("users")
        users["alice"] = 1
        users["bob"] = [2]
        fanout.cache("sessions").set("s1", "v1", tag="web")
        dump({"policy": fanout.deque("jobs/high").cache.eviction_policy})
    else:
        jobs = fanout.deque("jobs/low")
        config = fanout.index("config")
        tokens = fanout.cache("tokens")
        dump({
            "deque": [encode(v, none_is_null=False) for v in jobs],
            "index": [{"key": encode(k), "value": encode(v, none_is_null=False)} for k, v in config.items()],
            "token": encode(tokens.get("t1"), none_is_null=False),
            "token_tag": tokens.get("t1", tag=True)[1],
        })
