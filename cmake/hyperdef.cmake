# hyperdef_layer(NAME DEPS dep1 dep2 ...): one library per layer folder, sources globbed from the
# folder (tests excluded). hyperdef_layer_tests(NAME): one GoogleTest binary per layer from test/*.cc.
function(hyperdef_layer name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  add_library(hyperdef_${name} STATIC ${srcs})
  add_library(hyperdef::${name} ALIAS hyperdef_${name})
  target_include_directories(hyperdef_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(hyperdef_${name} PUBLIC ${ARG_DEPS})
  set_property(GLOBAL APPEND PROPERTY HYPERDEF_LAYERS ${name})
  if(HYPERDEF_BUILD_TESTS)
    file(GLOB tsrcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/test/*.cc)
    if(tsrcs)
      add_executable(${name}_tests ${tsrcs})
      target_link_libraries(${name}_tests PRIVATE hyperdef_${name} GTest::gtest GTest::gtest_main)
      target_compile_definitions(${name}_tests PRIVATE
        HYPERDEF_REFERENCE_DIR="${HYPERDEF_REFERENCE_DIR}"
        HYPERDEF_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
      gtest_discover_tests(${name}_tests DISCOVERY_TIMEOUT 60 PROPERTIES LABELS ${name})
    endif()
  endif()
endfunction()
