// The library as a whole: every definition names its source and version, passes the checker
// with its code lists found among Severn's resources or the pack, and runs.
#include <gtest/gtest.h>

#include <set>

#include "core/error.h"
#include "lang/library.h"
#include "library/library_fixture.h"
#include "run_severn.h"

namespace severn::testing {
namespace {

TEST(Library, EveryDefinitionNamesItsSourceAndVersionAndChecks) {
  SEVERN_REQUIRE_PACK();
  const auto entries = lang::library_entries();
  ASSERT_FALSE(entries.empty()) << "resources/library/ holds no .sev file";
  lang::CheckOptions check;
  check.pack_codelists_dir = std::string(SEVERN_TEST_DATA_DIR) + "/codelists";
  std::set<std::string> measures;
  for (const auto& e : entries) {
    SCOPED_TRACE(e.name);
    EXPECT_FALSE(e.title.empty()) << "no '# title:' header line";
    EXPECT_FALSE(e.source.empty()) << "no '# source:' header line";
    EXPECT_FALSE(e.version.empty()) << "no '# version:' header line";
    const auto checked = lang::check_file(std::string(lang::kLibraryPrefix) + e.name, check);
    // Measure names are unique across the library, so the report can key on them.
    for (const auto& m : checked.definition.measures) EXPECT_TRUE(measures.insert(m.name).second) << m.name;
  }
}

TEST(Library, UnknownNamesAreRefusedWithTheList) {
  try {
    lang::check_file("library:no_such_definition", {});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no library definition 'no_such_definition'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("severn library list"), std::string::npos) << e.what();
  }
}

TEST(Library, CodeListPathsStayInsideTheResources) {
  EXPECT_EQ(lang::library_resource_path("../codelists/dmd-saba.csv"), "codelists/dmd-saba.csv");
  EXPECT_EQ(lang::library_resource_path("lists/x.csv"), "library/lists/x.csv");
  EXPECT_EQ(lang::library_resource_path("../../etc/passwd"), "");
  EXPECT_EQ(lang::library_resource_path("/etc/passwd"), "");
}

TEST(LibraryCli, ListsShowsAndRefuses) {
  const auto list = run_severn("library list");
  EXPECT_EQ(list.code, 0) << list.output;
  for (const auto& e : lang::library_entries())
    EXPECT_NE(list.output.find("library:" + e.name), std::string::npos) << list.output;
  const auto missing = run_severn("library show no_such_definition");
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.output.find("no definition 'no_such_definition'"), std::string::npos) << missing.output;
}

}  // namespace
}  // namespace severn::testing
