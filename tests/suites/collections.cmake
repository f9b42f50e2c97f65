# Deque and Index (engine/src/collections/), with interop against python3-diskcache.
cachescope_add_test(tst_collections tst_collections.cpp)
