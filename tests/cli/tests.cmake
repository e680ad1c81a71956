# Command-line tests (label cli).  Golden outputs are compared byte for byte
# (tests/golden/cli/, regenerated only by tests/tools/regen-golden.sh); the
# Python checks parse JSON/CSV and test every error path and exit status.
set(LLMEM_PY /usr/bin/python3)

add_test(NAME cli_golden
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli/golden.sh $<TARGET_FILE:llmem> ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_golden PROPERTIES LABELS cli TIMEOUT 300)

foreach(group errors json sweep fit presets stream)
  add_test(NAME cli_${group}
    COMMAND ${LLMEM_PY} ${CMAKE_CURRENT_SOURCE_DIR}/cli/check_cli.py $<TARGET_FILE:llmem>
            ${PROJECT_SOURCE_DIR} ${group})
  set_tests_properties(cli_${group} PROPERTIES LABELS cli TIMEOUT 600)
endforeach()

# The man page renders without warnings; the completion script is valid bash.
find_program(LLMEM_GROFF groff)
if(LLMEM_GROFF)
  add_test(NAME cli_manpage
    COMMAND sh -c "out=$(LC_ALL=C.UTF-8 ${LLMEM_GROFF} -man -Tutf8 -ww -z \"$1\" 2>&1) && test -z \"$out\""
            sh ${PROJECT_SOURCE_DIR}/docs/llmem.1)
  set_tests_properties(cli_manpage PROPERTIES LABELS cli)
endif()
add_test(NAME cli_completion
  COMMAND ${LLMEM_PY} ${CMAKE_CURRENT_SOURCE_DIR}/cli/check_completion.py $<TARGET_FILE:llmem>
          ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_completion PROPERTIES LABELS cli TIMEOUT 120)
