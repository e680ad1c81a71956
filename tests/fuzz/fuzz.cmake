# libFuzzer targets for the loaders and the setting parser.
#   CC=clang cmake -S . -B build-fuzz -DLLMEM_FUZZ=ON && cmake --build build-fuzz --target llmem_fuzzers
# With LLMEM_FUZZ=ON every target of the project is built with
# -fsanitize=fuzzer-no-link,address,undefined (coverage for the fuzzer, ASan and
# UBSan everywhere) and the three fuzzers link libFuzzer.  Run them with
# tests/slow/fuzz_smoke.sh, which also passes the seed corpora (presets/ and
# tests/fixtures/, referenced in place) and the dictionaries.
option(LLMEM_FUZZ "Build the libFuzzer targets (clang only)" OFF)

if(LLMEM_FUZZ AND NOT TARGET llmem_fuzzers)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "LLMEM_FUZZ needs clang: configure with CC=clang (found ${CMAKE_C_COMPILER_ID})")
  endif()
  target_compile_options(llmem_flags INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(llmem_flags INTERFACE -fsanitize=address,undefined)

  add_custom_target(llmem_fuzzers)
  foreach(name presets hf_config settings)
    add_executable(fuzz_${name} ${CMAKE_CURRENT_LIST_DIR}/fuzz_${name}.c)
    target_link_libraries(fuzz_${name} PRIVATE llmem_core)
    target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
    add_dependencies(llmem_fuzzers fuzz_${name})
  endforeach()
endif()
