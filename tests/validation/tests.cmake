# Validation against PyTorch (label `validation`).  Tiny GPT-2-style and
# Llama-style models written in plain PyTorch (Debian's python3-torch) are
# measured once (validation_pytorch_measure writes a JSON file in the build
# tree); two tests check the measurements against docs/saved-tensors.md and
# against the engine (engine_probe).  Every test exits 77 (skipped) when torch
# cannot be imported; the checks measure by themselves when the file is absent.
set(LLMEM_PYTHON /usr/bin/python3 CACHE FILEPATH "Python with torch for the validation tests")
set(LLMEM_VALIDATION_JSON ${CMAKE_CURRENT_BINARY_DIR}/validation_measurements.json)

add_executable(engine_probe ${LLMEM_TEST_SOURCE_DIR}/validation/engine_probe.c)
target_link_libraries(engine_probe PRIVATE llmem_core)

add_test(NAME validation_pytorch_measure
  COMMAND ${LLMEM_PYTHON} ${LLMEM_TEST_SOURCE_DIR}/validation/measure.py
          --out ${LLMEM_VALIDATION_JSON})
set_tests_properties(validation_pytorch_measure PROPERTIES
  FIXTURES_SETUP llmem_validation_measurements)

add_test(NAME validation_saved_tensors_formula
  COMMAND ${LLMEM_PYTHON} ${LLMEM_TEST_SOURCE_DIR}/validation/compare_engine.py --formula-only
          --measurements ${LLMEM_VALIDATION_JSON})
add_test(NAME validation_engine_vs_pytorch
  COMMAND ${LLMEM_PYTHON} ${LLMEM_TEST_SOURCE_DIR}/validation/compare_engine.py
          --probe $<TARGET_FILE:engine_probe> --measurements ${LLMEM_VALIDATION_JSON})
set_tests_properties(validation_saved_tensors_formula validation_engine_vs_pytorch PROPERTIES
  FIXTURES_REQUIRED llmem_validation_measurements)

set_tests_properties(validation_pytorch_measure validation_saved_tensors_formula
  validation_engine_vs_pytorch PROPERTIES LABELS validation TIMEOUT 300 SKIP_RETURN_CODE 77)
