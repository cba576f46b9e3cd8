// Well-formedness of the values partners send. Each check returns an empty string when the value
// is good, or the reason it is not (the reason goes verbatim into the quarantine file).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace severn::ingest {

// SNOMED CT identifiers (also dm+d product codes, which are SNOMED CT concepts): 6 to 18 digits,
// no leading zero, a Verhoeff check digit, and partition identifier 00 (concept, short form) or
// 10 (concept, extension). Source: SNOMED CT Technical Implementation Guide, section 6.1
// "SCTID data structure" and 6.7 "Verhoeff check digit".
std::string check_snomed_concept(std::string_view text);
bool verhoeff_valid(std::string_view digits);

// ICD-10 (WHO/UK 5th edition): a letter, two digits, then optionally a fourth (and fifth)
// character, written with or without the dot ("I25.1", "I251", "I10", "I10X"). `normalised`
// receives the dotted form without filler X ("I25.1", "I10").
std::string check_icd10(std::string_view text, std::string& normalised);

// OPCS-4: a chapter letter (A-Z except I), two digits, optional fourth digit with or without the
// dot ("W40.1", "W401", "W40"). `normalised` receives the dotted form.
std::string check_opcs4(std::string_view text, std::string& normalised);

// ODS code of a GP practice: a letter and five digits (M82007).
std::string check_practice_code(std::string_view text);
// ODS organisation code, by shape only: 3 to 6 upper-case letters and digits, starting with a
// letter or digit (NHS trusts RXW, independent sector providers NT3, sites RXW01, 8HV48).
std::string check_ods_code(std::string_view text);
// ONS LSOA 2021 code: E01 or W01 and six digits.
std::string check_lsoa_code(std::string_view text);
// UK postcode, outward and inward code separated by one space ("TF2 6FH").
std::string check_postcode(std::string_view text);

// Returns the offset of the first byte that is not valid UTF-8 (overlongs, surrogates and code
// points above U+10FFFF are invalid), or npos when the text is valid.
std::size_t first_invalid_utf8(std::string_view text);

// A value made printable for a report: invalid UTF-8 bytes and control characters as \xNN.
std::string printable(std::string_view text);

}  // namespace severn::ingest
