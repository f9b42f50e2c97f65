"""Makes a one-entry cache with diskcache.JSONDisk and prints the value as JSON.

usage: ui_jsondisk.py DIR
"""
import json
import sys

import diskcache

value = {"name": "alice", "scores": [1, 2.5, None], "admin": True}
with diskcache.Cache(sys.argv[1], disk=diskcache.JSONDisk) as cache:
    cache.set("profile", value)
    json.dump({"value": value, "len": len(cache)}, sys.stdout)
