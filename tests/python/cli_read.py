"""Reads keys back through the library after cachescope-cli changed them.

usage: cli_read.py DIRECTORY SHARDS KEY-LITERAL...   (SHARDS 0: a Cache)
Prints a JSON list of {found, value_repr, expire_time, tag} per key, plus
the statistics setting as Python stores it.
"""
import ast
import json
import sqlite3
import os
import sys

import diskcache

directory, shards = sys.argv[1], int(sys.argv[2])
keys = [ast.literal_eval(k) for k in sys.argv[3:]]
if shards:
    cache = diskcache.FanoutCache(directory, shards=shards)
else:
    cache = diskcache.Cache(directory)
result = []
for key in keys:
    value, expire_time, tag = cache.get(key, default=KeyError, expire_time=True, tag=True)
    if value is KeyError:
        result.append({'found': False})
    else:
        result.append({'found': True, 'value_repr': repr(value), 'expire_time': expire_time, 'tag': tag})
cache.close()
first = os.path.join(directory, '000') if shards else directory
con = sqlite3.connect('file:%s?mode=ro' % os.path.join(first, 'cache.db'), uri=True)
statistics = con.execute("SELECT value FROM Settings WHERE key = 'statistics'").fetchone()[0]
con.close()
print(json.dumps({'keys': result, 'statistics': statistics, 'len': len(cache) if not shards else None}))
