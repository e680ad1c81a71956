# Slow tests (label slow): fuzz smoke runs, benchmark smoke run, hostile
# command-line input, terminal abuse in tmux, a valgrind explorer session.
# Nothing here asserts on time.  Budget: well under 6 minutes in all
# (3 x 60 s of fuzzing + a clang sub-build when this build is not clang).
include(${LLMEM_TEST_SOURCE_DIR}/fuzz/fuzz.cmake)

set(LLMEM_SLOW_DIR ${CMAKE_CURRENT_SOURCE_DIR}/slow)

# --- fuzzing: build the fuzzers (here when LLMEM_FUZZ=ON, else in a clang
# sub-build), then run each for LLMEM_FUZZ_SECONDS (default 60).
set(LLMEM_FUZZ_SECONDS 60 CACHE STRING "Seconds per fuzzer in the slow fuzz smoke tests")
add_test(NAME slow_fuzz_build
  COMMAND ${LLMEM_SLOW_DIR}/fuzz_smoke.sh build ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR})
set_tests_properties(slow_fuzz_build PROPERTIES LABELS slow TIMEOUT 600 FIXTURES_SETUP llmem_fuzzers)
foreach(name presets hf_config settings)
  add_test(NAME slow_fuzz_${name}
    COMMAND ${LLMEM_SLOW_DIR}/fuzz_smoke.sh run ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR} ${name}
            ${LLMEM_FUZZ_SECONDS})
  set_tests_properties(slow_fuzz_${name} PROPERTIES LABELS slow TIMEOUT 300
    FIXTURES_REQUIRED llmem_fuzzers)
endforeach()

# --- benchmarks: every program runs, nothing crashes or hangs (figures printed, not checked).
# (bench/ is added after tests/, so test for its CMakeLists, not its targets.)
if(EXISTS ${PROJECT_SOURCE_DIR}/bench/CMakeLists.txt)
  add_test(NAME slow_bench_smoke
    COMMAND ${PROJECT_SOURCE_DIR}/bench/run.sh --quick --build ${PROJECT_BINARY_DIR})
  set_tests_properties(slow_bench_smoke PROPERTIES LABELS slow TIMEOUT 300)
endif()

# --- terminal abuse in tmux (private socket).
find_program(LLMEM_TMUX tmux)
if(LLMEM_TMUX)
  foreach(what resize tiny hup) # Ctrl-C, SIGTERM, kill -HUP: tests/tui (tui_tmux_signals)
    add_test(NAME slow_term_${what}
      COMMAND ${LLMEM_SLOW_DIR}/term_abuse.sh $<TARGET_FILE:llmem> ${what})
    set_tests_properties(slow_term_${what} PROPERTIES LABELS slow TIMEOUT 120)
  endforeach()
endif()

# --- extreme shapes and hostile arguments through the real command line.
add_test(NAME slow_cli_extremes
  COMMAND /usr/bin/python3 ${LLMEM_SLOW_DIR}/cli_extremes.py $<TARGET_FILE:llmem> ${PROJECT_SOURCE_DIR})
set_tests_properties(slow_cli_extremes PROPERTIES LABELS slow TIMEOUT 300)

# --- the real terminal path (ncurses in tmux) under valgrind.  The headless
# session under valgrind is tests/tui/tests.cmake's slow_tui_valgrind.
find_program(LLMEM_VALGRIND valgrind)
if(LLMEM_VALGRIND AND LLMEM_TMUX AND NOT LLMEM_SANITIZE AND NOT LLMEM_FUZZ
   AND NOT CMAKE_C_COMPILER_ID MATCHES "Clang") # valgrind 3.19 cannot read clang 14's DWARF 5
  add_test(NAME slow_valgrind_tmux
    COMMAND ${LLMEM_SLOW_DIR}/valgrind_session.sh $<TARGET_FILE:llmem> tmux)
  set_tests_properties(slow_valgrind_tmux PROPERTIES LABELS slow TIMEOUT 300)
endif()
