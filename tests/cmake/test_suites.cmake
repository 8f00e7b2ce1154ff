# plifkit_add_test_suites(TARGET): one CTest test per GoogleTest suite of
# TARGET, named after the suite, instead of one per test as
# gtest_discover_tests makes them. Starting a test process costs about
# 0.3 s, 0.6 s with LibTorch, more than most tests take: run one by one, the
# 290 unit tests spent ~100 s of the suite's core time starting, against
# ~10 s for running them. The suites are listed from the built binary after
# each build (as gtest_discover_tests does), so new suites need no edit here.
set(PLIFKIT_LIST_TEST_SUITES ${CMAKE_CURRENT_LIST_DIR}/list_test_suites.cmake)

function(plifkit_add_test_suites target)
  set(ctest_file ${CMAKE_CURRENT_BINARY_DIR}/${target}_suites.cmake)
  set(include_file ${CMAKE_CURRENT_BINARY_DIR}/${target}_suites_include.cmake)
  add_custom_command(TARGET ${target} POST_BUILD
                     COMMAND ${CMAKE_COMMAND} -D TEST_BINARY=$<TARGET_FILE:${target}>
                             -D CTEST_FILE=${ctest_file} -D WORKING_DIRECTORY=${CMAKE_CURRENT_BINARY_DIR}
                             -P ${PLIFKIT_LIST_TEST_SUITES}
                     BYPRODUCTS ${ctest_file}
                     VERBATIM)
  # Until the first build there is no list: one test that says so.
  file(WRITE ${include_file}
       "if(EXISTS [==[${ctest_file}]==])\n"
       "  include([==[${ctest_file}]==])\n"
       "else()\n"
       "  add_test(${target}_NOT_BUILT ${target}_NOT_BUILT)\n"
       "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${include_file})
endfunction()
