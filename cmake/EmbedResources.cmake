# Compiles every .csv, .sev and .toml file under a resources directory into a static library, so the
# binary carries Severn's own code lists, reference tables and content library (library/*.sev)
# and needs no install path at run time.
function(severn_embed_resources target dir)
  file(GLOB_RECURSE files RELATIVE "${dir}" CONFIGURE_DEPENDS "${dir}/*.csv" "${dir}/*.sev" "${dir}/*.toml")
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
    DEPENDS ${abs_files} "${CMAKE_SOURCE_DIR}/cmake/GenerateEmbedded.cmake"
    COMMENT "Embedding ${dir}")
  add_library(${target} STATIC "${out}")
  target_include_directories(${target} PUBLIC "${CMAKE_SOURCE_DIR}/src")
endfunction()
