// Soundex against its published examples; NYSIIS on names traced through Taft's rules by hand.
#include "identity/phonetic.h"

#include <gtest/gtest.h>

namespace severn::identity {
namespace {

// US National Archives, "The Soundex Indexing System" (2007): Washington W252, Lee L000,
// Gutierrez G362, Pfister P236, Jackson J250, Tymczak T522, VanDeusen V532, Ashcraft A261
// (H does not separate S and C). Knuth, The Art of Computer Programming vol. 3, 6.4: Euler,
// Ellery E460; Gauss, Ghosh G200; Hilbert, Heilbronn H416; Knuth, Kant K530; Lloyd, Ladd L300;
// Lukasiewicz, Lissajous L222.
TEST(Soundex, PublishedExamples) {
  const std::pair<const char*, const char*> cases[] = {
      {"WASHINGTON", "W252"}, {"LEE", "L000"},     {"GUTIERREZ", "G362"}, {"PFISTER", "P236"},
      {"JACKSON", "J250"},    {"TYMCZAK", "T522"}, {"VANDEUSEN", "V532"}, {"ASHCRAFT", "A261"},
      {"EULER", "E460"},      {"ELLERY", "E460"},  {"GAUSS", "G200"},     {"GHOSH", "G200"},
      {"HILBERT", "H416"},    {"HEILBRONN", "H416"}, {"KNUTH", "K530"},   {"KANT", "K530"},
      {"LLOYD", "L300"},      {"LADD", "L300"},    {"LUKASIEWICZ", "L222"}, {"LISSAJOUS", "L222"},
  };
  for (const auto& [name, code] : cases) EXPECT_EQ(soundex(name), code) << name;
  EXPECT_EQ(soundex(""), "");
  EXPECT_EQ(soundex("O'BRIEN"), soundex("OBRIEN"));
}

// Each expected code follows Taft's steps; the trace is written out for the less obvious ones.
TEST(Nysiis, TracedThroughTheRules) {
  // MACINTOSH: MAC -> MCC; I -> A; O -> A; H after S copies S (dropped as a repeat) -> MCANTAS;
  // trailing S removed, then trailing A -> MCANT.
  EXPECT_EQ(nysiis("MACINTOSH"), "MCANT");
  // KNUTH: KN -> NN; the second N repeats; U -> A; H after T copies T -> NAT.
  EXPECT_EQ(nysiis("KNUTH"), "NAT");
  // KNIGHT: NN, I -> A, G, H copies G, T -> NAGT.
  EXPECT_EQ(nysiis("KNIGHT"), "NAGT");
  // BISHOP: I -> A, S, H copies S, O -> A, P -> BASAP.
  EXPECT_EQ(nysiis("BISHOP"), "BASAP");
  // WHEELER: H after W (not a vowel) copies W; EE -> A once; L, E -> A, R -> WALAR.
  EXPECT_EQ(nysiis("WHEELER"), "WALAR");
  EXPECT_EQ(nysiis("HARPER"), "HARPAR");
  // CHAPMAN: H copies C; M -> N -> CAPNAN.
  EXPECT_EQ(nysiis("CHAPMAN"), "CAPNAN");
  // GREENE: E -> A, repeated A dropped, N, final E -> A removed -> GRAN.
  EXPECT_EQ(nysiis("GREENE"), "GRAN");
  // SCHMIDT: SCH -> SSS and DT -> D first; M -> N, I -> A -> SNAD.
  EXPECT_EQ(nysiis("SCHMIDT"), "SNAD");
  // PHILLIPSON: PH -> FF; I -> A, L, I -> A, P, S, O -> A, N -> FALAPSAN.
  EXPECT_EQ(nysiis("PHILLIPSON"), "FALAPSAN");
  // Names that sound alike share a code: BROWN (W after a vowel copies it) and BRAUN -> BRAN.
  EXPECT_EQ(nysiis("BROWN"), "BRAN");
  EXPECT_EQ(nysiis("BRAUN"), "BRAN");
  // Y is not a vowel to NYSIIS: SMITH -> SNAT but SMYTH -> SNYT.
  EXPECT_EQ(nysiis("SMITH"), "SNAT");
  EXPECT_EQ(nysiis("SMYTH"), "SNYT");
  EXPECT_EQ(nysiis(""), "");
  EXPECT_EQ(nysiis("MACINTOSH", 4), "MCAN");
}

}  // namespace
}  // namespace severn::identity
