# Windows: an NSIS installer (Start-menu entry, uninstaller, optional PATH
# entry for cachescope-cli; the Development component is offered but not
# selected) and a .zip. Qt's DLLs and plugins are put beside cachescope.exe at
# install time by Qt's deployment script (windeployqt), and the program's own
# icon comes from windows/cachescope.rc (both in app/gui/CMakeLists.txt).
# Built by .github/workflows/windows.yml.

set(CPACK_GENERATOR NSIS ZIP)
set(CPACK_NSIS_PACKAGE_NAME "Cachescope ${PROJECT_VERSION}")
set(CPACK_NSIS_DISPLAY_NAME "Cachescope")
set(CPACK_NSIS_MUI_ICON "${PROJECT_SOURCE_DIR}/resources/icons/cachescope.ico")
set(CPACK_NSIS_MUI_UNIICON "${PROJECT_SOURCE_DIR}/resources/icons/cachescope.ico")
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\cachescope.exe")
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
set(CPACK_NSIS_MODIFY_PATH ON)
