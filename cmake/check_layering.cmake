# Fails when a file of FOLDER (a folder of lib/plifkit) includes a plifkit
# header from a folder outside ALLOWED (comma-separated: the folder itself
# and those below it, lib/CMakeLists.txt). Touches STAMP when all is well.
# Usage: cmake -DFOLDER=... -DALLOWED=a,b -DSTAMP=... -P check_layering.cmake
cmake_minimum_required(VERSION 3.16)
string(REPLACE "," ";" allowed "${ALLOWED}")
get_filename_component(name "${FOLDER}" NAME)
file(GLOB_RECURSE files "${FOLDER}/*.cpp" "${FOLDER}/*.hpp" "${FOLDER}/*.cu")
set(violations "")
foreach(file IN LISTS files)
  file(STRINGS "${file}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"plifkit/[A-Za-z0-9_]+/")
  foreach(line IN LISTS includes)
    string(REGEX REPLACE ".*\"plifkit/([A-Za-z0-9_]+)/.*" "\\1" folder "${line}")
    if(NOT folder IN_LIST allowed)
      file(RELATIVE_PATH where "${FOLDER}/.." "${file}")
      string(STRIP "${line}" line)
      string(APPEND violations "\n  ${where}: ${line}")
    endif()
  endforeach()
endforeach()
if(violations)
  message(FATAL_ERROR "plifkit/${name} may include only ${ALLOWED} (the folders below it, "
                      "lib/CMakeLists.txt); an upward include:${violations}")
endif()
file(WRITE "${STAMP}" "")
