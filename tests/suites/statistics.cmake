# Inspector statistics, space ledger, settings doctor and JSONDisk keys
# (engine/src/inspect/statistics.cpp, doctor.cpp, memoize.cpp), checked
# against caches the real library made.
cachescope_add_test(tst_statistics tst_statistics.cpp)
