"""What the Python library says about a cache directory, as JSON, for
tst_cli to compare with cachescope-cli's output.

usage: cli_describe.py DIRECTORY [SHARDS]

With SHARDS the directory is a FanoutCache with that many shard folders.
Values are read with the library's own Disk class (no get(), so nothing is
touched); the expected sort orders come from SQLite over every shard at
once: column set before NULL, then column, raw (key sort), rowid, shard.
"""
import json
import os
import sqlite3
import sys
import time

import diskcache

SORTS = ['key', 'size', 'store_time', 'access_time', 'expire_time', 'access_count', 'tag']


def natural(tag):
    if isinstance(tag, bytes):
        return repr(tag)
    return tag


def describe_shard(directory, shard_name, now):
    con = sqlite3.connect('file:%s?mode=ro' % os.path.join(directory, 'cache.db'), uri=True)
    settings = dict(con.execute('SELECT key, value FROM Settings'))
    disk = diskcache.Disk(directory, min_file_size=settings['disk_min_file_size'],
                          pickle_protocol=settings['disk_pickle_protocol'])
    entries = []
    rows = con.execute('SELECT rowid, key, raw, store_time, expire_time, access_time, access_count,'
                       ' tag, size, mode, filename, value FROM Cache').fetchall()
    for (rowid, key, raw, store_time, expire_time, access_time, access_count,
         tag, size, mode, filename, value) in rows:
        pykey = disk.get(key, raw)
        try:
            pyvalue = disk.fetch(mode, filename, value, False)
            value_repr, value_type = repr(pyvalue), type(pyvalue).__name__
        except OSError:
            value_repr, value_type = None, None
        entries.append({
            'key': repr(pykey),
            'key_type': type(pykey).__name__ if raw else 'pickle',
            'value_repr': value_repr,
            'value_type': value_type,
            'mode': ['none', 'raw', 'binary', 'text', 'pickle'][mode],
            'size': size,
            'filename': filename,
            'store_time': store_time,
            'access_time': access_time,
            'expire_time': expire_time,
            'access_count': access_count,
            'tag': natural(tag),
            'expired': expire_time is not None and expire_time <= now,
            'in_file': filename is not None,
            'shard': shard_name,
            'prefix_k1': raw == 1 and isinstance(pykey, (str, bytes)) and
                         (pykey.startswith('k1') if isinstance(pykey, str) else pykey.startswith(b'k1')),
            'contains_by': raw == 1 and isinstance(pykey, (str, bytes)) and
                           (('by' in pykey) if isinstance(pykey, str) else (b'by' in pykey)),
        })
    con.close()
    return settings, entries


def orders(directory, shards):
    """Expected (key repr, shard) order of every sort, both directions."""
    con = sqlite3.connect(':memory:')
    names = ['%03d' % i for i in range(shards)] if shards else [None]
    parts = []
    for i, name in enumerate(names):
        path = os.path.join(directory, name, 'cache.db') if name else os.path.join(directory, 'cache.db')
        con.execute("ATTACH DATABASE ? AS s%d" % i, ('file:%s?mode=ro' % path,))
        parts.append('SELECT %d AS shard, rowid AS rid, * FROM s%d.Cache' % (i, i))
    union = ' UNION ALL '.join(parts)
    disk = diskcache.Disk(directory)
    result = {}
    for column in SORTS:
        for desc in (False, True):
            d = ' DESC' if desc else ''
            raw = ', raw%s' % d if column == 'key' else ''
            sql = ('SELECT key, raw, shard FROM (%s) ORDER BY %s IS NULL, %s%s%s, rid%s, shard%s'
                   % (union, column, column, d, raw, d, d))
            result[column + (':desc' if desc else '')] = [
                [repr(disk.get(k, r)), names[s]] for k, r, s in con.execute(sql)]
    # stored_size, the inspector's Size column: the bytes of each value wherever it is, worked out
    # here in Python from the row (the recorded size of a file, else the value's own length).
    def stored(filename, size, value):
        if filename is not None:
            return size
        if value is None:
            return 0
        if isinstance(value, bytes):
            return len(value)
        if isinstance(value, str):
            return len(value.encode('utf-8'))
        return 8  # an integer or a real
    rows = [(stored(f, size, v), rid, s, k, r)
            for s, rid, k, r, f, size, v in con.execute('SELECT shard, rid, key, raw, filename, size, value FROM (%s)' % union)]
    for desc in (False, True):
        ordered = sorted(rows, key=lambda row: row[:3], reverse=desc)
        result['stored_size' + (':desc' if desc else '')] = [[repr(disk.get(k, r)), names[s]] for _, _, s, k, r in ordered]
    con.close()
    return result


def main():
    directory = sys.argv[1]
    shards = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    now = time.time()
    out = {'entries': [], 'count': 0, 'size': 0, 'hits': 0, 'misses': 0, 'shards': []}
    for name in (['%03d' % i for i in range(shards)] if shards else [None]):
        path = os.path.join(directory, name) if name else directory
        settings, entries = describe_shard(path, name, now)
        out['entries'] += entries
        for counter in ('count', 'size', 'hits', 'misses'):
            out[counter] += settings.pop(counter)
        out['shards'].append({'name': name, 'count': len(entries)})
        out.setdefault('settings', settings)
    out['orders'] = orders(directory, shards)
    print(json.dumps(out))


if __name__ == '__main__':
    main()
