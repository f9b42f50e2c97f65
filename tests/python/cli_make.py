"""Makes the directories tst_cli inspects, with the real diskcache library.

usage: cli_make.py SCENARIO DIRECTORY
scenarios: basic, fanout, damaged, lru-stats, deque, index, collection, django
"""
import os
import sys
import time

import diskcache


def fill(cache, count=40):
    """A mix of every key and value kind diskcache stores, with tags and
    expiry times in the future and some that pass a second after they are
    set: set() culls rows already expired, so expired rows are made by
    waiting, after the last set()."""
    for i in range(count):
        tag = ['t0', 't1', 7, None][i % 4]
        expire = [None, 3600, 1.0, None, 86400][i % 5]
        cache.set('k%02d' % i, i * 3, expire=expire, tag=tag)
    cache.set(b'bytes-key', b'\x00\x01binary', tag='t1')
    cache.set(b'k-bytes', 'bytes key, str value')
    cache.set(12345, 2.5)
    cache.set(-7, 'negative int key')
    cache.set(3.25, None)
    cache.set((1, 'a'), [1, 2, {'x': (3, 4)}], tag=b'btag')
    cache.set(('k', 2), {'a': 1})
    cache.set(None, 'the None key')
    cache.set(True, 'the True key')
    cache.set(2 ** 70, 'big int key')
    cache.set('unicode-\u00e9\u4e2d', 'caf\u00e9 \u4e2d\u6587 \n\t\x01 end')
    cache.set('quote\'"\\key', b'\xff\xfe')
    cache.set('big-bytes', b'\x00\xff' * 30000, tag='t0')
    cache.set('big-text', 'line one\nline two\n' * 3000, expire=3600)
    cache.set('big-pickle', list(range(20000)))
    cache.set('float-value', 0.1 + 0.2)
    cache.set('empty-str', '')
    cache.set('empty-bytes', b'')
    time.sleep(1.2)


def main():
    scenario, directory = sys.argv[1], sys.argv[2]
    if scenario == 'basic':
        with diskcache.Cache(directory) as cache:
            fill(cache)
    elif scenario == 'fanout':
        with diskcache.FanoutCache(directory, shards=4) as cache:
            fill(cache)
            cache.cache('sub/inner').set('a', 1)
            cache.deque('jobs').extend([1, 2, 3])
            cache.index('names')['x'] = 'y'
    elif scenario == 'damaged':
        with diskcache.Cache(directory) as cache:
            for i in range(4):
                cache.set('file%d' % i, bytes([i]) * 50000)
            cache.set('small', 1)
            paths = [os.path.join(directory, row[0]) for row in
                     cache._sql('SELECT filename FROM Cache WHERE filename IS NOT NULL ORDER BY rowid')]
        os.remove(paths[0])                      # a row whose file is gone
        with open(paths[1], 'r+b') as f:         # a file shorter than its row says
            f.truncate(100)
        with open(os.path.join(directory, 'stray.txt'), 'w') as f:
            f.write('not a value file')
        os.makedirs(os.path.join(directory, 'zz', 'yy'))
    elif scenario == 'lru-stats':
        with diskcache.Cache(directory, eviction_policy='least-recently-used', statistics=1) as cache:
            fill(cache, 10)
            cache.get('k01')
            cache.get('missing')
    elif scenario == 'no-stats':
        with diskcache.Cache(directory) as cache:
            fill(cache, 5)
    elif scenario == 'deque':
        deque = diskcache.Deque(directory=directory)
        deque.extend(['a', 'b', 'c'])
        deque.appendleft('z')
    elif scenario == 'index':
        index = diskcache.Index(directory)
        index.update({'one': 1, 'two': 2})
    elif scenario == 'collection':
        with diskcache.Cache(os.path.join(directory, 'alpha')) as cache:
            cache.set('a', 1)
        with diskcache.FanoutCache(os.path.join(directory, 'beta'), shards=2) as cache:
            cache.set('b', 2)
            cache.set('c', 3)
    elif scenario == 'django':
        import django
        from django.conf import settings
        settings.configure(CACHES={'default': {
            'BACKEND': 'django.core.cache.backends.filebased.FileBasedCache',
            'LOCATION': directory}})
        django.setup()
        from django.core.cache import cache
        cache.set('forever', {'a': [1, 2]}, timeout=None)
        cache.set('soon', 'hello', timeout=3600)
        cache.set('number', 42, timeout=600)
        cache.set('blob', b'\x00' * 100, timeout=None)
    else:
        sys.exit('unknown scenario ' + scenario)
    print('ok')


if __name__ == '__main__':
    main()
