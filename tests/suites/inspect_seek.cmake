# Inspector::seek, setCancelCheck and changeToken (the lazy, live entries table's engine side).
cachescope_add_test(tst_inspect_seek tst_inspect_seek.cpp LIBS SQLite::SQLite3)
