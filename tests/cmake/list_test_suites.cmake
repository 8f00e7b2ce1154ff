# Run after each build of a GoogleTest binary (tests/cmake/test_suites.cmake):
# lists its suites (--gtest_list_tests) and writes CTEST_FILE with one CTest
# test per suite. A suite whose tests all skip (the *_CUDA ones without a
# GPU) reports Skipped.
#   cmake -D TEST_BINARY=... -D CTEST_FILE=... -D WORKING_DIRECTORY=... -P list_test_suites.cmake
execute_process(COMMAND "${TEST_BINARY}" --gtest_list_tests
                OUTPUT_VARIABLE listing RESULT_VARIABLE status TIMEOUT 120)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${TEST_BINARY} --gtest_list_tests failed (${status}): ${listing}")
endif()
string(REPLACE "\n" ";" lines "${listing}")
set(content "")
set(count 0)
foreach(line IN LISTS lines)
  # Suite lines start in the first column: "Suite." or "Prefix/Suite.", a
  # parameterised one followed by "  # TypeParam = ...".
  if(line MATCHES "^([A-Za-z0-9_/]+)\\.")
    set(suite "${CMAKE_MATCH_1}")
    string(APPEND content
           "add_test([==[${suite}]==] [==[${TEST_BINARY}]==] [==[--gtest_filter=${suite}.*]==])\n"
           "set_tests_properties([==[${suite}]==] PROPERTIES WORKING_DIRECTORY [==[${WORKING_DIRECTORY}]==]"
           " SKIP_REGULAR_EXPRESSION [==[\\[  PASSED  \\] 0 tests]==])\n")
    math(EXPR count "${count} + 1")
  endif()
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "${TEST_BINARY} lists no test suites")
endif()
file(WRITE "${CTEST_FILE}" "${content}")
