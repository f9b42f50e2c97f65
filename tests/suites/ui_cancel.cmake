# Cancel in the middle of a maintenance removal leaves the cache consistent.
if(CACHESCOPE_BUILD_GUI)
  cachescope_add_test(tst_ui_cancel tst_ui_cancel.cpp LIBS cachescope-ui)
endif()
