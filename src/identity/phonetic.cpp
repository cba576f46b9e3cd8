#include "identity/phonetic.h"

namespace severn::identity {

namespace {

char soundex_digit(char c) {
  switch (c) {
    case 'B': case 'F': case 'P': case 'V': return '1';
    case 'C': case 'G': case 'J': case 'K': case 'Q': case 'S': case 'X': case 'Z': return '2';
    case 'D': case 'T': return '3';
    case 'L': return '4';
    case 'M': case 'N': return '5';
    case 'R': return '6';
    default: return '0';  // vowels, Y, H, W
  }
}

bool is_letter(char c) { return c >= 'A' && c <= 'Z'; }
bool is_vowel(char c) { return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U'; }

std::string letters_only(std::string_view name) {
  std::string s;
  s.reserve(name.size());
  for (char c : name)
    if (is_letter(c)) s += c;
  return s;
}

bool starts_with(const std::string& s, std::string_view p) { return s.compare(0, p.size(), p) == 0; }
bool ends_with(const std::string& s, std::string_view p) {
  return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}

}  // namespace

std::string soundex(std::string_view name) {
  const std::string s = letters_only(name);
  if (s.empty()) return "";
  std::string code(1, s[0]);
  char last = soundex_digit(s[0]);
  for (std::size_t i = 1; i < s.size() && code.size() < 4; ++i) {
    const char c = s[i];
    if (c == 'H' || c == 'W') continue;  // transparent: BH B codes once
    const char d = soundex_digit(c);
    if (d == '0') {
      last = '0';  // a vowel separates two equal codes
      continue;
    }
    if (d != last) code += d;
    last = d;
  }
  code.resize(4, '0');
  return code;
}

std::string nysiis(std::string_view name, std::size_t max_length) {
  std::string s = letters_only(name);
  if (s.empty()) return "";
  // Step 1: prefixes.
  if (starts_with(s, "MAC")) s.replace(0, 3, "MCC");
  else if (starts_with(s, "KN")) s.replace(0, 2, "NN");
  else if (starts_with(s, "K")) s[0] = 'C';
  else if (starts_with(s, "PH") || starts_with(s, "PF")) s.replace(0, 2, "FF");
  else if (starts_with(s, "SCH")) s.replace(0, 3, "SSS");
  // Step 2: suffixes.
  if (ends_with(s, "EE") || ends_with(s, "IE")) {
    s.replace(s.size() - 2, 2, "Y");
  } else if (ends_with(s, "DT") || ends_with(s, "RT") || ends_with(s, "RD") || ends_with(s, "NT") ||
             ends_with(s, "ND")) {
    s.replace(s.size() - 2, 2, "D");
  }
  // Step 3: the key starts with the first letter; steps 4-6 scan the rest, rewriting the name in
  // place (a rewrite can change letters ahead of the pointer, as SCH -> SSS does).
  std::string key(1, s[0]);
  for (std::size_t i = 1; i < s.size(); ++i) {
    char& c = s[i];
    const char next = i + 1 < s.size() ? s[i + 1] : '\0';
    if (c == 'E' && next == 'V') {
      c = 'A';
      s[i + 1] = 'F';
    } else if (is_vowel(c)) {
      c = 'A';
    } else if (c == 'Q') {
      c = 'G';
    } else if (c == 'Z') {
      c = 'S';
    } else if (c == 'M') {
      c = 'N';
    } else if (c == 'K') {
      c = next == 'N' ? 'N' : 'C';
    } else if (c == 'S' && next == 'C' && i + 2 < s.size() && s[i + 2] == 'H') {
      s[i + 1] = s[i + 2] = 'S';
    } else if (c == 'P' && next == 'H') {
      c = 'F';
      s[i + 1] = 'F';
    } else if (c == 'H' && (!is_vowel(s[i - 1]) || !is_vowel(next))) {
      c = s[i - 1];
    } else if (c == 'W' && is_vowel(s[i - 1])) {
      c = s[i - 1];
    }
    if (c != key.back()) key += c;
  }
  // Steps 7-9: trailing S, AY -> Y, trailing A.
  if (key.size() > 1 && key.back() == 'S') key.pop_back();
  if (key.size() > 1 && ends_with(key, "AY")) key.replace(key.size() - 2, 2, "Y");
  if (key.size() > 1 && key.back() == 'A') key.pop_back();
  if (max_length > 0 && key.size() > max_length) key.resize(max_length);
  return key;
}

}  // namespace severn::identity
