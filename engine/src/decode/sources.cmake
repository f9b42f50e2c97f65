# Sources of the value classifier and decoders (decode.h).
target_sources(diskcache PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/text.cpp
  ${CMAKE_CURRENT_LIST_DIR}/json.cpp
  ${CMAKE_CURRENT_LIST_DIR}/zlib.cpp
  ${CMAKE_CURRENT_LIST_DIR}/image.cpp
  ${CMAKE_CURRENT_LIST_DIR}/django.cpp
  ${CMAKE_CURRENT_LIST_DIR}/classify.cpp
)
