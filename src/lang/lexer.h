// Tokens of the definition language. Whitespace and line breaks only separate tokens; '#' starts
// a comment to the end of the line. Dates are written bare (2024-04-01), strings in double quotes.
#pragma once
#include <string>
#include <vector>

#include "lang/diagnostic.h"
#include "lang/source.h"

namespace severn::lang {

enum class Tok {
  kEnd,
  kIdent,
  kInt,
  kFloat,
  kDate,
  kString,
  kLParen, kRParen, kLBracket, kRBracket, kLBrace, kRBrace,
  kComma, kDot, kAssign,             // =
  kEq, kNe, kLt, kLe, kGt, kGe,      // == != < <= > >=
  kPlus, kMinus, kStar, kSlash,
};

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;  // identifier, number or date as written; string contents unescaped
  Pos pos;
};

const char* describe(Tok kind);

// Throws DefinitionError at the first character that starts no token (or an unclosed string).
std::vector<Token> lex(const SourceFile& file);

}  // namespace severn::lang
