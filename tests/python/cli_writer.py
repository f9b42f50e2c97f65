"""A live writer: keeps setting keys until its stdin closes or time runs out.

It writes about fifty keys a second and keeps about 200 alive, so that a
reader paging through the cache can reach its end while it changes.

usage: cli_writer.py DIRECTORY SECONDS
Prints "ready" once the cache is open and the first items are written.
"""
import sys
import threading
import time

import diskcache

directory, seconds = sys.argv[1], float(sys.argv[2])
stop = threading.Event()


def watch_stdin():
    sys.stdin.read()
    stop.set()


threading.Thread(target=watch_stdin, daemon=True).start()
with diskcache.Cache(directory) as cache:
    for i in range(50):
        cache.set('live%05d' % i, i)
    print('ready', flush=True)
    deadline = time.time() + seconds
    i = 50
    while not stop.is_set() and time.time() < deadline:
        cache.set('live%05d' % i, 'x' * (i % 100), tag='w')
        # The first 50 keys stay, for readers to look up.
        if i - 200 >= 50:
            cache.delete('live%05d' % (i - 200))
        if i % 7 == 0 and i - 40 >= 50:
            cache.delete('live%05d' % (i - 40))
        i += 1
        time.sleep(0.02)
print('done', i, flush=True)
