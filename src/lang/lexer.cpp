#include "lang/lexer.h"

#include <cctype>
#include <cstdio>

namespace severn::lang {

const char* describe(Tok kind) {
  switch (kind) {
    case Tok::kEnd: return "end of file";
    case Tok::kIdent: return "a name";
    case Tok::kInt: return "a whole number";
    case Tok::kFloat: return "a number";
    case Tok::kDate: return "a date";
    case Tok::kString: return "a string";
    case Tok::kLParen: return "'('";
    case Tok::kRParen: return "')'";
    case Tok::kLBracket: return "'['";
    case Tok::kRBracket: return "']'";
    case Tok::kLBrace: return "'{'";
    case Tok::kRBrace: return "'}'";
    case Tok::kComma: return "','";
    case Tok::kDot: return "'.'";
    case Tok::kAssign: return "'='";
    case Tok::kEq: return "'=='";
    case Tok::kNe: return "'!='";
    case Tok::kLt: return "'<'";
    case Tok::kLe: return "'<='";
    case Tok::kGt: return "'>'";
    case Tok::kGe: return "'>='";
    case Tok::kPlus: return "'+'";
    case Tok::kMinus: return "'-'";
    case Tok::kStar: return "'*'";
    case Tok::kSlash: return "'/'";
  }
  return "?";
}

namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }
bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool ident_char(char c) { return ident_start(c) || digit(c); }

}  // namespace

std::vector<Token> lex(const SourceFile& file, std::vector<Comment>* comments) {
  const std::string& t = file.text();
  std::vector<Token> out;
  std::size_t i = 0;
  bool line_blank = true;  // nothing but whitespace so far on the current line
  Pos pos;
  const auto advance = [&](std::size_t n) {
    for (std::size_t k = 0; k < n && i < t.size(); ++k, ++i) {
      if (t[i] == '\n') {
        ++pos.line;
        pos.column = 1;
      } else {
        ++pos.column;
      }
    }
  };
  const auto fail = [&](const std::string& message, const std::string& hint) {
    throw DefinitionError(file, {{pos, message, hint}});
  };
  while (i < t.size()) {
    const char c = t[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      if (c == '\n') line_blank = true;
      advance(1);
      continue;
    }
    if (c == '#') {
      Comment comment;
      comment.pos = pos;
      comment.own_line = line_blank;
      const std::size_t start = i + 1;
      while (i < t.size() && t[i] != '\n') advance(1);
      if (comments != nullptr) {
        std::size_t from = start, to = i;
        while (from < to && t[from] == ' ') ++from;
        if (to > from && t[to - 1] == '\r') --to;
        comment.text = t.substr(from, to - from);
        comments->push_back(std::move(comment));
      }
      continue;
    }
    line_blank = false;
    Token tok;
    tok.pos = pos;
    if (ident_start(c)) {
      std::size_t j = i;
      while (j < t.size() && ident_char(t[j])) ++j;
      tok.kind = Tok::kIdent;
      tok.text = t.substr(i, j - i);
      advance(j - i);
    } else if (digit(c)) {
      std::size_t j = i;
      while (j < t.size() && digit(t[j])) ++j;
      // A date: four digits, '-', two digits, '-', two digits.
      if (j - i == 4 && j + 6 <= t.size() && t[j] == '-' && digit(t[j + 1]) && digit(t[j + 2]) &&
          t[j + 3] == '-' && digit(t[j + 4]) && digit(t[j + 5]) &&
          (j + 6 == t.size() || !ident_char(t[j + 6]))) {
        tok.kind = Tok::kDate;
        j += 6;
      } else if (j + 1 < t.size() && t[j] == '.' && digit(t[j + 1])) {
        ++j;
        while (j < t.size() && digit(t[j])) ++j;
        tok.kind = Tok::kFloat;
      } else {
        tok.kind = Tok::kInt;
      }
      tok.text = t.substr(i, j - i);
      advance(j - i);
    } else if (c == '"') {
      std::size_t j = i + 1;
      std::string value;
      while (j < t.size() && t[j] != '"' && t[j] != '\n') {
        if (t[j] == '\\' && j + 1 < t.size() && (t[j + 1] == '"' || t[j + 1] == '\\')) ++j;
        value += t[j++];
      }
      if (j >= t.size() || t[j] != '"') fail("string is not closed on its line", "expected '\"'");
      tok.kind = Tok::kString;
      tok.text = std::move(value);
      advance(j + 1 - i);
    } else {
      const char n = i + 1 < t.size() ? t[i + 1] : '\0';
      std::size_t len = 1;
      switch (c) {
        case '(': tok.kind = Tok::kLParen; break;
        case ')': tok.kind = Tok::kRParen; break;
        case '[': tok.kind = Tok::kLBracket; break;
        case ']': tok.kind = Tok::kRBracket; break;
        case '{': tok.kind = Tok::kLBrace; break;
        case '}': tok.kind = Tok::kRBrace; break;
        case ',': tok.kind = Tok::kComma; break;
        case '.': tok.kind = Tok::kDot; break;
        case '+': tok.kind = Tok::kPlus; break;
        case '-': tok.kind = Tok::kMinus; break;
        case '*': tok.kind = Tok::kStar; break;
        case '/': tok.kind = Tok::kSlash; break;
        case '=':
          tok.kind = n == '=' ? Tok::kEq : Tok::kAssign;
          len = n == '=' ? 2 : 1;
          break;
        case '!':
          if (n != '=') fail("unexpected '!'", "expected '!=' (not equal); for negation write 'not'");
          tok.kind = Tok::kNe;
          len = 2;
          break;
        case '<':
          tok.kind = n == '=' ? Tok::kLe : Tok::kLt;
          len = n == '=' ? 2 : 1;
          break;
        case '>':
          tok.kind = n == '=' ? Tok::kGe : Tok::kGt;
          len = n == '=' ? 2 : 1;
          break;
        default: {
          // A control or non-ASCII byte (a NUL, a stray UTF-8 sequence) is named by its code,
          // so that the message itself stays printable.
          const auto byte = static_cast<unsigned char>(c);
          char shown[16];
          if (byte >= 0x20 && byte < 0x7f) std::snprintf(shown, sizeof shown, "'%c'", c);
          else std::snprintf(shown, sizeof shown, "byte 0x%02X", byte);
          fail(std::string("unexpected character ") + shown,
               byte >= 0x80 ? "definitions are ASCII outside comments and strings"
                            : "expected a name, a number, a date, a string or an operator");
        }
      }
      tok.text = t.substr(i, len);
      advance(len);
    }
    out.push_back(std::move(tok));
  }
  Token end;
  end.pos = pos;
  out.push_back(end);
  return out;
}

}  // namespace severn::lang
