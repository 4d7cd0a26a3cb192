# cmake -DSYMBOL=name -DINPUT=file -DOUTPUT=file.cc -P EmbedFile.cmake
# Writes a C++ file defining `extern const std::string_view gee::embedded::SYMBOL`
# holding the exact bytes of INPUT (as a hex byte array, so any content is safe).
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE "${OUTPUT}"
  "// Generated from ${INPUT}; do not edit.\n#include <string_view>\n"
  "namespace gee::embedded {\nstatic const char kData[] = {${bytes} 0};\n"
  "extern const std::string_view ${SYMBOL};\n"
  "const std::string_view ${SYMBOL}(kData, ${size});\n}\n")
