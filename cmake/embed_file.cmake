# Turns a text file into a C++ source defining `std::string_view NAME`.
# Invoked at build time: cmake -DINPUT=... -DOUTPUT=... -DSYMBOL=... -P embed_file.cmake
# A raw string literal keeps the generated file readable and the compile fast; the delimiter
# is one that cannot appear in the CSV sources we embed.
file(READ "${INPUT}" content)
string(FIND "${content}" ")cordon_embed\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter")
endif()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} by cmake/embed_file.cmake. Do not edit.\n"
  "#include <string_view>\n"
  "namespace cordon::embedded {\n"
  "extern const std::string_view ${SYMBOL};\n"
  "const std::string_view ${SYMBOL} = R\"cordon_embed(${content})cordon_embed\";\n"
  "}\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
