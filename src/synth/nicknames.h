// Nicknames and the formal names they stand for (William and Bill, Margaret and Peggy, Harry and
// Henry), from the table in resources/names/nicknames.csv (resources/names/INDEX.csv gives its
// source). A partner's clerk may write either form; linkage has to see through it.
#pragma once
#include <string>
#include <unordered_map>
#include <vector>

namespace severn::synth {

class Nicknames {
 public:
  static Nicknames load();  // from the built-in resources/names

  // The names a clerk might write instead of `given` for a person of `sex` ('M' or 'F'): the
  // nicknames of a formal name, or the formal names of a nickname. Null when there are none.
  // A variant that the given-name lists hold only for the other sex is left out (the source
  // table does not say which sex a name is for: Jack is John's, not Jacqueline's).
  const std::vector<std::string>* variants(const std::string& given, char sex) const;

 private:
  std::unordered_map<std::string, std::vector<std::string>> variants_;  // key: sex + name
};

}  // namespace severn::synth
