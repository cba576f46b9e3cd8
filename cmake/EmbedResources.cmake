# Compiles every resource file under a resources directory into a static library, so the binary
# carries Severn's own code lists, reference tables, content library (library/*.sev) and the
# dashboard `severn serve` sends (web/*.html, *.js, *.css, *.svg), and needs no install path at
# run time. The kinds of file are listed once, in cmake/EmbeddedPatterns.cmake.
include("${CMAKE_CURRENT_LIST_DIR}/EmbeddedPatterns.cmake")

function(severn_embed_resources target dir)
  set(globs "")
  foreach(p IN LISTS SEVERN_EMBEDDED_PATTERNS)
    list(APPEND globs "${dir}/${p}")
  endforeach()
  file(GLOB_RECURSE files RELATIVE "${dir}" CONFIGURE_DEPENDS ${globs})
  list(SORT files)
  set(out "${CMAKE_BINARY_DIR}/generated/embedded_resources.cpp")
  set(abs_files "")
  foreach(f IN LISTS files)
    list(APPEND abs_files "${dir}/${f}")
  endforeach()
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DDIR=${dir} -DOUT=${out}
            -P "${CMAKE_SOURCE_DIR}/cmake/GenerateEmbedded.cmake"
    DEPENDS ${abs_files} "${CMAKE_SOURCE_DIR}/cmake/GenerateEmbedded.cmake" "${CMAKE_SOURCE_DIR}/cmake/EmbeddedPatterns.cmake"
    COMMENT "Embedding ${dir}")
  add_library(${target} STATIC "${out}")
  target_include_directories(${target} PUBLIC "${CMAKE_SOURCE_DIR}/src")
endfunction()
