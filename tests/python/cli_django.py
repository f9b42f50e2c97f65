"""What Django's own FileBasedCache holds: per file, its md5 name, expiry
and value (repr and type), read the way Django reads it.

usage: cli_django.py DIRECTORY
"""
import json
import os
import pickle
import sys
import zlib

directory = sys.argv[1]
out = []
for name in sorted(os.listdir(directory)):
    if not name.endswith('.djcache'):
        continue
    with open(os.path.join(directory, name), 'rb') as f:
        expiry = pickle.load(f)
        value = pickle.loads(zlib.decompress(f.read()))
    out.append({'key': name[:-len('.djcache')], 'expire_time': expiry, 'value_repr': repr(value),
                'value_type': type(value).__name__, 'size': os.path.getsize(os.path.join(directory, name))})
print(json.dumps(out))
