# GUI maintenance actions (write mode, Expire, Cull, Evict, Clear, Delete,
# Touch, Check ▸ Fix), driven through the window and verified with Python.
if(CACHESCOPE_BUILD_GUI)
  cachescope_add_test(tst_ui_maintenance tst_ui_maintenance.cpp LIBS cachescope-ui)
endif()
