"""Python's check() of a cache: its warnings as a JSON list of messages.

usage: cli_check.py DIRECTORY
"""
import json
import sys
import warnings

import diskcache

with warnings.catch_warnings():
    warnings.simplefilter('always')
    with diskcache.Cache(sys.argv[1]) as cache:
        found = cache.check(fix=False)
print(json.dumps(sorted(str(w.message) for w in found)))
