# Embeds data files into the binary as `extern const std::string_view` constants.
# gee_embed(<symbol> <file>) appends a generated .cc to GEE_EMBEDDED_SOURCES.
set(GEE_EMBEDDED_SOURCES "")
function(gee_embed symbol file)
  set(out "${CMAKE_BINARY_DIR}/embedded/${symbol}.cc")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DSYMBOL=${symbol} -DINPUT=${file} -DOUTPUT=${out}
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedFile.cmake
    DEPENDS "${file}" ${PROJECT_SOURCE_DIR}/cmake/EmbedFile.cmake
    COMMENT "Embedding ${file}")
  set(GEE_EMBEDDED_SOURCES ${GEE_EMBEDDED_SOURCES} "${out}" PARENT_SCOPE)
endfunction()

file(GLOB GEE_EMBED_FILES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/emulator/protocol/models/*.json)
foreach(f ${GEE_EMBED_FILES})
  get_filename_component(stem ${f} NAME_WE)
  string(MAKE_C_IDENTIFIER "kEmbeddedModel_${stem}" sym)
  gee_embed(${sym} ${f})
endforeach()
