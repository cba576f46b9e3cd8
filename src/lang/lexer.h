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

// A comment, kept so the parser can attach it to what it documents (a measure's description).
struct Comment {
  Pos pos;           // of the '#'
  std::string text;  // after the '#' and the spaces that follow it, without the line end
  bool own_line = false;  // nothing but spaces and tabs before it on its line
};

// Throws DefinitionError at the first character that starts no token (or an unclosed string).
// With `comments`, every comment is appended to it, in file order.
std::vector<Token> lex(const SourceFile& file, std::vector<Comment>* comments = nullptr);

}  // namespace severn::lang
