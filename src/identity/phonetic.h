// Phonetic codes for names: two names that sound alike get the same code, so they can be
// compared and blocked on without an exact spelling. Input: upper-case ASCII letters (other
// bytes are skipped). Output: the code, or "" when the name has no letter.
#pragma once
#include <string>
#include <string_view>

namespace severn::identity {

// American Soundex as the US National Archives define it ("The Soundex Indexing System", NARA,
// 2007): the first letter, then digits for the consonants (BFPV 1, CGJKQSXZ 2, DT 3, L 4, MN 5,
// R 6); vowels and Y are dropped but separate equal codes, H and W are dropped and do not
// separate them; padded with zeros or cut to four characters.
std::string soundex(std::string_view name);

// NYSIIS, the New York State Identification and Intelligence System code (R. L. Taft, "Name
// Search Techniques", New York State Identification and Intelligence System, Special Report
// No. 1, 1970), following the step list of the original paper as usually published: prefix and
// suffix rewrites, a left-to-right scan that maps vowels to A and consonant clusters to their
// sounds, no letter repeated, then trailing S, AY and A removed. The original keeps six
// characters; we keep the whole code (max_length 0), which separates more names, and let the
// caller ask for the truncated form.
std::string nysiis(std::string_view name, std::size_t max_length = 0);

}  // namespace severn::identity
