# Deque and Index: Python's persistent collections on the public Cache API.
target_sources(diskcache PRIVATE ${CMAKE_CURRENT_LIST_DIR}/deque.cpp ${CMAKE_CURRENT_LIST_DIR}/index.cpp)
