# Sources of the pickle decoder/encoder and Python literal parser.
target_sources(diskcache PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/src/pickle/object.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/pickle/bigint.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/pickle/utf8.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/pickle/printable_table.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/pickle/decoder.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/pickle/decoder_text.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/pickle/decoder_objects.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/pickle/graph_builder.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/pickle/normalize.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/pickle/repr.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/pickle/repr_scalar.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/pickle/repr_known.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/pickle/repr_numpy.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/pickle/typename.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/pickle/encoder.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/pickle/literal.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/pickle/literal_string.cpp
)
