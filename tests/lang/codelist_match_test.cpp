// `codelist NAME = "file.csv" with subcodes`: a three-character ICD-10/OPCS-4 category matches its
// subdivisions; without the clause, and for entries that are already subdivisions, matching is exact.
#include <gtest/gtest.h>

#include "lang/checker.h"

namespace severn::lang {
namespace {

LoadedCodelist list_of(std::vector<std::string> codes, bool with_subcodes) {
  LoadedCodelist l;
  l.name = "x";
  l.family = CodeFamily::kClassification;
  l.codes.codes = std::move(codes);
  l.with_subcodes = with_subcodes;
  return l;
}

bool matches(const LoadedCodelist& l, std::string_view code) {
  const std::unordered_set<std::string> set(l.codes.codes.begin(), l.codes.codes.end());
  return codelist_matches(l, set, code);
}

TEST(CodelistMatch, CategoryWithSubcodesMatchesItsSubdivisionsOnly) {
  const auto caries = list_of({"K02"}, true);
  EXPECT_TRUE(matches(caries, "K02"));
  EXPECT_TRUE(matches(caries, "K02.1"));
  EXPECT_TRUE(matches(caries, "K02.9"));
  EXPECT_FALSE(matches(caries, "K03.0"));
  EXPECT_FALSE(matches(caries, "K0"));
  EXPECT_FALSE(matches(caries, "K021"));  // stored codes carry the dot; an undotted text is not a subdivision
  const auto extraction = list_of({"F09", "F10"}, true);
  EXPECT_TRUE(matches(extraction, "F10.4"));
  EXPECT_TRUE(matches(extraction, "F09.1"));
  EXPECT_FALSE(matches(extraction, "F11.1"));
}

TEST(CodelistMatch, WithoutTheClauseMatchingIsExact) {
  const auto caries = list_of({"K02"}, false);
  EXPECT_TRUE(matches(caries, "K02"));
  EXPECT_FALSE(matches(caries, "K02.1"));
}

TEST(CodelistMatch, ASubdivisionEntryStaysExactWithSubcodes) {
  const auto dentine = list_of({"K02.1"}, true);
  EXPECT_TRUE(matches(dentine, "K02.1"));
  EXPECT_FALSE(matches(dentine, "K02.9"));
  EXPECT_FALSE(matches(dentine, "K02"));
}

}  // namespace
}  // namespace severn::lang
