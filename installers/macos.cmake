# macOS: cachescope.app (with cachescope-cli inside Contents/MacOS) in a
# drag-and-drop disk image. The bundle's Info.plist is macos/Info.plist.in;
# Qt's frameworks and plugins are copied into the bundle at install time by
# Qt's deployment script (macdeployqt), see app/gui/CMakeLists.txt.
# Built by .github/workflows/macos.yml.

set(CPACK_GENERATOR DragNDrop)
# The disk image holds the application only; the engine library for C++
# projects installs with `cmake --install` (component Development).
set(CPACK_COMPONENTS_ALL Runtime)
set(CPACK_DMG_VOLUME_NAME "Cachescope ${PROJECT_VERSION}")
set(CPACK_DMG_FORMAT UDZO)
set(CPACK_PACKAGE_ICON "${PROJECT_SOURCE_DIR}/resources/icons/cachescope.icns")
