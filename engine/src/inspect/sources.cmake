# Sources of the read-only inspection layer (inspect.h).
target_sources(diskcache PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/src/inspect/readonly_db.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/inspect/ordering.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/inspect/cache_source.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/inspect/held_order.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/inspect/django_source.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/inspect/detect.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/inspect/inspector.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/inspect/shard_hash.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/inspect/python_view.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/inspect/statistics.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/inspect/memoize.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/inspect/doctor.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/inspect/seek.cpp
)
