# Sources of the read-only inspection layer (inspect.h).
target_sources(diskcache PRIVATE)
