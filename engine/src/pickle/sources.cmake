# Sources of the pickle decoder/encoder and Python literal parser.
target_sources(diskcache PRIVATE)
