# `cmake --build BUILD --target screenshots`: regenerates every picture in
# screenshots/ (SVG, text and PNG) from this build's llmem, headless, with
# screenshots/generate.sh.  PNGs need rsvg-convert (Debian: librsvg2-bin).
add_custom_target(screenshots
  COMMAND sh ${PROJECT_SOURCE_DIR}/screenshots/generate.sh
          $<TARGET_FILE:llmem> ${PROJECT_SOURCE_DIR}/screenshots
  DEPENDS llmem
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  COMMENT "Regenerating screenshots/ from the llmem binary"
  VERBATIM)
