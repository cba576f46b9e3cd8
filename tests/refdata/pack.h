// Tests that read the reference-data pack (../shared/data) skip, saying why, when it is absent.
#pragma once
#include <gtest/gtest.h>

#include <filesystem>

#define SEVERN_REQUIRE_PACK()                                                                  \
  do {                                                                                         \
    if (!std::filesystem::is_directory(SEVERN_TEST_DATA_DIR))                                  \
      GTEST_SKIP() << "reference-data pack not found at " << SEVERN_TEST_DATA_DIR              \
                   << " (these tests need ../shared/data beside the project)";                 \
  } while (0)
