# Live following of a cache another process writes to, and Pause.
if(CACHESCOPE_BUILD_GUI)
  cachescope_add_test(tst_ui_live tst_ui_live.cpp LIBS cachescope-ui)
endif()
