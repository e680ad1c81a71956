# Explorer tests beyond the cmocka programs (included by tests/CMakeLists.txt).
#  - the screenshot generator (screenshots/generate.sh) run into a temporary
#    directory: valid SVGs that render and show the text dump's text (tui).
#  - tmux end-to-end runs of the real binary (label tui); skipped, visibly,
#    when tmux is not installed (.ci/run installs it).
#  - a valgrind run of a scripted headless session (label slow).
find_program(LLMEM_TMUX tmux)
foreach(case main signals colours machine demo)
  if(LLMEM_TMUX)
    add_test(NAME tui_tmux_${case}
             COMMAND ${LLMEM_TEST_SOURCE_DIR}/tui/tmux_e2e.sh $<TARGET_FILE:llmem> ${case})
  else()
    add_test(NAME tui_tmux_${case} COMMAND sh -c "echo 'tmux not installed'; exit 77")
  endif()
  set_tests_properties(tui_tmux_${case} PROPERTIES LABELS tui TIMEOUT 180 SKIP_RETURN_CODE 77)
endforeach()

# Debian's python3 (not a pyenv one on PATH): only the standard library.
find_program(LLMEM_SYS_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(LLMEM_SYS_PYTHON3)
  add_test(NAME tui_screenshots
           COMMAND ${LLMEM_SYS_PYTHON3} ${LLMEM_TEST_SOURCE_DIR}/tui/check_screenshots.py
                   ${PROJECT_SOURCE_DIR}/screenshots/generate.sh $<TARGET_FILE:llmem>)
else()
  add_test(NAME tui_screenshots COMMAND sh -c "echo '/usr/bin/python3 not installed'; exit 77")
endif()
set_tests_properties(tui_screenshots PROPERTIES LABELS tui TIMEOUT 300 SKIP_RETURN_CODE 77)

find_program(LLMEM_VALGRIND valgrind)
# Every view, every overlay, typed entry, undo/redo, themes, units, mouse and
# resizes through the too-small state.
set(LLMEM_VALGRIND_KEYS
  "lllhhjj=16k<Enter>1234567c<Right>7?<Esc>pmix<BS>x<Enter>e<Down><Esc>u<C-r>rgtttaaaa<Resize:80x24>6<Resize:60x20>l<Resize:200x60><Click:5,1><Click:30,4><Drag:35,4><Release:35,4><WheelUp:10,5><WheelDown:10,5>=junk<Enter>jj=7<Enter>5q")
if(LLMEM_SANITIZE)
  # ASan and valgrind do not mix: the sanitizer build checks memory itself.
  add_test(NAME slow_tui_valgrind COMMAND sh -c "echo 'skipped: sanitizer build'; exit 77")
elseif(CMAKE_C_COMPILER_ID MATCHES "Clang")
  # valgrind 3.19 (Debian 12) cannot read clang's default DWARF 5.
  add_test(NAME slow_tui_valgrind COMMAND sh -c "echo 'skipped: clang DWARF 5 vs valgrind 3.19'; exit 77")
elseif(LLMEM_VALGRIND)
  add_test(NAME slow_tui_valgrind
           COMMAND ${LLMEM_VALGRIND} --error-exitcode=99 --leak-check=full
                   --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect
                   $<TARGET_FILE:llmem> --preset llama-3-8b --gpu h100-80gb --size 120x36
                   --keys ${LLMEM_VALGRIND_KEYS} --dump-screen /dev/null)
else()
  add_test(NAME slow_tui_valgrind COMMAND sh -c "echo 'valgrind not installed'; exit 77")
endif()
set_tests_properties(slow_tui_valgrind PROPERTIES LABELS slow TIMEOUT 600 SKIP_RETURN_CODE 77)
