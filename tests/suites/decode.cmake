# Value decoding (engine/src/decode/): JSON, JSONDisk, Django files, images,
# text and binary, checked against what the real Python libraries wrote.
cachescope_add_test(tst_decode tst_decode.cpp)
