# The lazy entries table on a 300,000-entry cache made by python3-diskcache.
if(CACHESCOPE_BUILD_GUI)
  cachescope_add_test(tst_ui_bigcache tst_ui_bigcache.cpp LIBS cachescope-ui)
endif()
