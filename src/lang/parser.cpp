#include "lang/parser.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <string_view>
#include <set>

#include "lang/diagnostic.h"
#include "lang/lexer.h"

namespace severn::lang {
namespace {

const std::set<std::string> kReserved = {
    "codelist", "let",  "population", "variable", "measure", "numerator", "denominator",
    "by",       "intervals", "and",   "or",       "not",     "in",        "is",
    "null",     "true", "false",      "case",     "when",    "then",      "else",
    "end",      "worklist", "show"};

// A number token's value, or infinity when it is too large for a double (never throws).
double number_value(const Token& tok) { return std::strtod(tok.text.c_str(), nullptr); }

bool is_unit(const std::string& s) {
  return s == "day" || s == "days" || s == "month" || s == "months" || s == "year" ||
         s == "years";
}

class Parser {
 public:
  Parser(const SourceFile& file, std::vector<Token> tokens) : file_(file), t_(std::move(tokens)) {}

  Definition run() {
    Definition d;
    while (!at(Tok::kEnd)) statement(d);
    return d;
  }

 private:
  const Token& peek(std::size_t ahead = 0) const {
    return t_[std::min(i_ + ahead, t_.size() - 1)];
  }
  bool at(Tok k) const { return peek().kind == k; }
  bool at_word(const char* w) const { return at(Tok::kIdent) && peek().text == w; }
  const Token& take() { return t_[i_ < t_.size() - 1 ? i_++ : i_]; }

  [[noreturn]] void fail(const Token& at, const std::string& message, const std::string& hint) {
    throw DefinitionError(file_, {{at.pos, message, hint}});
  }
  std::string found(const Token& tok) const {
    if (tok.kind == Tok::kEnd) return "end of file";
    return "'" + tok.text + "'";
  }
  const Token& expect(Tok k, const std::string& context) {
    if (!at(k)) fail(peek(), "expected " + std::string(describe(k)) + " " + context + ", found " + found(peek()), "");
    return take();
  }
  void expect_word(const char* w, const std::string& context) {
    if (!at_word(w)) fail(peek(), "expected '" + std::string(w) + "' " + context + ", found " + found(peek()), "");
    take();
  }
  std::string name(const std::string& what) {
    const Token& tok = peek();
    if (tok.kind != Tok::kIdent) fail(tok, "expected " + what + ", found " + found(tok), "");
    if (kReserved.count(tok.text))
      fail(tok, "'" + tok.text + "' is a reserved word and cannot be " + what, "");
    return take().text;
  }
  Days date(const std::string& context) {
    const Token& tok = peek();
    if (tok.kind != Tok::kDate) fail(tok, "expected a date (YYYY-MM-DD) " + context + ", found " + found(tok), "");
    const auto d = parse_iso_date(tok.text);
    if (!d) fail(tok, "'" + tok.text + "' is not a calendar date", "expected YYYY-MM-DD");
    take();
    return *d;
  }

  void statement(Definition& d) {
    const Token& tok = peek();
    if (tok.kind != Tok::kIdent)
      fail(tok, "expected a statement, found " + found(tok),
           "statements start with codelist, let, population, variable, measure or worklist");
    if (tok.text == "codelist") {
      take();
      CodelistDecl c;
      c.pos = tok.pos;
      c.name = name("a code list name");
      expect(Tok::kAssign, "after the code list name");
      c.path_pos = peek().pos;
      c.path = expect(Tok::kString, "(the code list's CSV file, in quotes)").text;
      if (at_word("with")) {
        c.subcodes_pos = take().pos;
        if (!at_word("subcodes"))
          fail(peek(), "expected 'subcodes' after 'with', found " + found(peek()),
               "write: codelist NAME = \"file.csv\" with subcodes");
        take();
        c.with_subcodes = true;
      }
      d.order.emplace_back('c', d.codelists.size());
      d.codelists.push_back(std::move(c));
    } else if (tok.text == "let" || tok.text == "variable") {
      const bool is_let = tok.text == "let";
      take();
      Binding b;
      b.pos = tok.pos;
      b.name = name(is_let ? "a name for the value" : "a variable name");
      expect(Tok::kAssign, "after '" + b.name + "'");
      b.value = expr();
      auto& list = is_let ? d.lets : d.variables;
      d.order.emplace_back(is_let ? 'l' : 'v', list.size());
      list.push_back(std::move(b));
    } else if (tok.text == "population") {
      if (d.population) fail(tok, "a second population", "a definition has one population");
      take();
      d.population_pos = tok.pos;
      d.population = expr();
      d.order.emplace_back('p', 0);
    } else if (tok.text == "measure") {
      take();
      Measure m;
      m.pos = tok.pos;
      m.name = name("a measure name");
      if (at_word("over")) {
        take();
        m.over_pos = peek().pos;
        m.over = name("the event table whose rows the measure counts, e.g. 'over wl_pathways'");
      }
      expect_word("numerator", "in measure '" + m.name + "'");
      m.numerator = expr();
      expect_word("denominator", "after the numerator of measure '" + m.name + "'");
      m.denominator = expr();
      if (at_word("by")) {
        take();
        do {
          const Pos p = peek().pos;
          m.by.emplace_back(name("a group column"), p);
        } while (at(Tok::kComma) && (take(), true));
      }
      if (at_word("stats")) m.stats = stats(m.name);
      if (at_word("intervals")) m.intervals = intervals();
      if (at_word("stats")) {
        if (m.stats.given)
          fail(peek(), "measure '" + m.name + "' has two stats clauses", "list everything in one: 'stats rate, sii by imd_decile'");
        m.stats = stats(m.name);
      }
      d.order.emplace_back('m', d.measures.size());
      d.measures.push_back(std::move(m));
    } else if (tok.text == "worklist") {
      take();
      Worklist w;
      w.pos = tok.pos;
      w.name = name("a worklist name");
      expect_word("when", "after the worklist name (who is on the list), e.g. 'worklist " + w.name + " when ...'");
      w.when = expr();
      expect_word("show", "after the condition of worklist '" + w.name +
                              "' (the lets that show why a person is on it), e.g. 'show last_sbp, last_sbp_date'");
      do {
        const Token& item = peek();
        auto e = node(ExprKind::kName, item.pos);
        e->name = name("a let to show");
        w.show.emplace_back(e->name, std::move(e));
      } while (at(Tok::kComma) && (take(), true));
      d.order.emplace_back('w', d.worklists.size());
      d.worklists.push_back(std::move(w));
    } else {
      fail(tok, "expected a statement, found " + found(tok),
           "statements start with codelist, let, population, variable, measure or worklist");
    }
  }

  // stats ITEM [, ITEM] [confidence 0.95]; ITEM: proportion|rate|dsr [per N], or sii by GROUP.
  MeasureStats stats(const std::string& measure) {
    MeasureStats st;
    st.given = true;
    st.pos = take().pos;
    bool have_value = false;
    do {
      const Token& tok = peek();
      if (at_word("proportion") || at_word("rate") || at_word("dsr") || at_word("isr")) {
        if (have_value) fail(tok, "measure '" + measure + "' asks for two statistics", "a measure has one of proportion, rate, dsr or isr");
        have_value = true;
        st.kind = tok.text == "proportion" ? StatKind::kProportion
                  : tok.text == "rate"     ? StatKind::kRate
                  : tok.text == "dsr"      ? StatKind::kDsr
                                           : StatKind::kIsr;
        take();
        if (st.kind == StatKind::kIsr) {
          st.reference_pos = peek().pos;
          st.reference = expect(Tok::kString, "after 'isr' (the reference rates' CSV file, in quotes, e.g. "
                                              "isr \"cfas2_dementia_prevalence.csv\")").text;
        }
        if (at_word("per")) {
          take();
          const Token& n = peek();
          if (n.kind != Tok::kInt || number_value(n) < 1 || number_value(n) > 1e9)
            fail(n, "expected a whole number from 1 to 1000000000 after 'per', found " + found(n), "e.g. 'rate per 100000'");
          st.per = number_value(take());
        }
      } else if (at_word("sii")) {
        if (!st.sii_by.empty()) fail(tok, "measure '" + measure + "' asks for the slope index of inequality twice", "");
        take();
        expect_word("by", "after 'sii'");
        st.sii_pos = peek().pos;
        st.sii_by = name("a group column");
      } else {
        fail(tok, "expected proportion, rate, dsr, isr or sii after 'stats', found " + found(tok),
             "e.g. 'stats rate per 100000, sii by imd_decile confidence 0.998'");
      }
      if (at_word("proportion") || at_word("rate") || at_word("dsr") || at_word("isr") || at_word("sii"))
        fail(peek(), "expected ',' before '" + peek().text + "' in the stats clause of measure '" + measure + "'",
             "e.g. 'stats rate per 100000, sii by imd_decile'");
    } while (at(Tok::kComma) && (take(), true));
    if (at_word("confidence")) {
      take();
      const Token& c = peek();
      const double level = c.kind == Tok::kFloat || c.kind == Tok::kInt ? number_value(c) : -1;
      if (!(level >= 0.9 && level < 1))
        fail(c, "expected a confidence level from 0.9 to below 1 after 'confidence', found " + found(c),
             "write it as a fraction: 0.95 or 0.998");
      take();
      st.confidence = level;
      if (at_word("confidence")) fail(peek(), "measure '" + measure + "' gives its confidence twice", "");
    }
    return st;
  }

  Intervals intervals() {
    Intervals iv;
    iv.pos = take().pos;
    const Token& tok = peek();
    if (at_word("monthly") || at_word("quarterly") || at_word("yearly")) {
      iv.kind = tok.text == "monthly"     ? IntervalKind::kMonthly
                : tok.text == "quarterly" ? IntervalKind::kQuarterly
                                          : IntervalKind::kYearly;
      take();
      expect_word("from", "after '" + tok.text + "'");
      const Token from_tok = peek();
      iv.from = date("after 'from'");
      if (!at_word("to"))
        fail(from_tok, "intervals from " + format_iso_date(iv.from) + " never end",
             "expected 'to' and the last date, e.g. 'to 2025-03-31'");
      take();
      const Token end_tok = peek();
      iv.to = date("after 'to'");
      if (iv.to < iv.from)
        fail(end_tok, "intervals end before they start (" + format_iso_date(iv.to) + " is before " +
                          format_iso_date(iv.from) + ")", "");
      return iv;
    }
    if (at_word("last")) {
      take();
      const Token n = peek();
      if (n.kind != Tok::kInt || number_value(n) < 1 || number_value(n) > kMaxIntervals)
        fail(n, "expected how many periods after 'intervals last', found " + found(n),
             "a whole number from 1 to " + std::to_string(kMaxIntervals) + ", e.g. 'intervals last 12 months'");
      iv.last = std::stoi(take().text);
      const Token unit = peek();
      const std::string u = unit.kind == Tok::kIdent ? unit.text : "";
      if (u == "month" || u == "months") iv.kind = IntervalKind::kMonthly;
      else if (u == "quarter" || u == "quarters") iv.kind = IntervalKind::kQuarterly;
      else if (u == "year" || u == "years") iv.kind = IntervalKind::kYearly;
      else
        fail(unit, "expected months, quarters or years after 'intervals last " + n.text + "', found " + found(unit),
             "calendar months, calendar quarters or NHS financial years (April to March)");
      take();
      return iv;
    }
    if (tok.kind != Tok::kDate)
      fail(tok, "expected monthly, quarterly, yearly, last or a date after 'intervals', found " + found(tok), "");
    iv.kind = IntervalKind::kExplicit;
    do {
      const Token start_tok = peek();
      const Days from = date("to start an interval");
      if (!at_word("to"))
        fail(start_tok, "the interval from " + format_iso_date(from) + " never ends",
             "expected 'to' and the last date of the interval");
      take();
      const Days to = date("after 'to'");
      if (to < from) fail(start_tok, "the interval ends before it starts", "");
      iv.spans.emplace_back(from, to);
    } while (at(Tok::kComma) && (take(), true));
    return iv;
  }

  // Counts the parser's own nesting (brackets, '-', 'not', arguments): recursion that builds
  // no node of its own, such as ((((x)))), is bounded here; the tree's depth by sealed().
  class Nesting {
   public:
    Nesting(Parser& p, const Token& at) : p_(p) {
      if (p_.depth_ >= kMaxExpressionDepth) p_.too_deep(at.pos);
      ++p_.depth_;
    }
    ~Nesting() { --p_.depth_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;

   private:
    Parser& p_;
  };
  [[noreturn]] void too_deep(Pos pos) {
    throw DefinitionError(
        file_, {{pos, "expression is nested more than " + std::to_string(kMaxExpressionDepth) + " levels deep",
                 "each bracket, '-', 'not', method call and each operator of a chain such as a + b + c is a "
                 "level; name parts of it with let"}});
  }
  // A node whose children are all in place: its height, which may not pass the bound.
  ExprPtr sealed(ExprPtr e) {
    int below = 0;
    for (const auto& a : e->args) below = std::max(below, a->height);
    e->height = below + 1;
    if (e->height > kMaxExpressionDepth) too_deep(e->pos);
    return e;
  }

  ExprPtr node(ExprKind kind, Pos pos) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->pos = pos;
    return e;
  }
  ExprPtr binary(const std::string& op, Pos pos, ExprPtr l, ExprPtr r) {
    auto e = node(ExprKind::kBinary, pos);
    e->name = op;
    e->args.push_back(std::move(l));
    e->args.push_back(std::move(r));
    return sealed(std::move(e));
  }

  ExprPtr expr() {
    const Nesting level(*this, peek());
    return or_expr();
  }
  ExprPtr or_expr() {
    auto l = and_expr();
    while (at_word("or")) {
      const Pos p = take().pos;
      l = binary("or", p, std::move(l), and_expr());
    }
    return l;
  }
  ExprPtr and_expr() {
    auto l = not_expr();
    while (at_word("and")) {
      const Pos p = take().pos;
      l = binary("and", p, std::move(l), not_expr());
    }
    return l;
  }
  ExprPtr not_expr() {
    if (at_word("not")) {
      const Nesting level(*this, peek());
      auto e = node(ExprKind::kUnary, take().pos);
      e->name = "not";
      e->args.push_back(not_expr());
      return sealed(std::move(e));
    }
    return comparison();
  }
  ExprPtr comparison() {
    auto l = additive();
    const Token& tok = peek();
    switch (tok.kind) {
      case Tok::kEq: case Tok::kNe: case Tok::kLt: case Tok::kLe: case Tok::kGt: case Tok::kGe: {
        take();
        return binary(tok.text, tok.pos, std::move(l), additive());
      }
      case Tok::kAssign:
        fail(tok, "'=' binds a name; to compare write '=='", "");
      default:
        break;
    }
    if (at_word("in") || (at_word("not") && peek(1).kind == Tok::kIdent && peek(1).text == "in")) {
      auto e = node(ExprKind::kIn, peek().pos);
      if (at_word("not")) {
        take();
        e->negated = true;
      }
      take();
      e->args.push_back(std::move(l));
      e->args.push_back(in_target());
      return sealed(std::move(e));
    }
    if (at_word("is")) {
      auto e = node(ExprKind::kIsNull, take().pos);
      if (at_word("not")) {
        take();
        e->negated = true;
      }
      expect_word("null", "after 'is'");
      e->args.push_back(std::move(l));
      return sealed(std::move(e));
    }
    return l;
  }
  ExprPtr in_target() {
    const Token& tok = peek();
    if (tok.kind == Tok::kLBrace) {
      auto e = node(ExprKind::kSet, take().pos);
      if (!at(Tok::kRBrace)) {
        do e->args.push_back(additive());
        while (at(Tok::kComma) && (take(), true));
      }
      expect(Tok::kRBrace, "to close the set");
      return sealed(std::move(e));
    }
    if (tok.kind == Tok::kLParen || tok.kind == Tok::kLBracket) {
      auto e = node(ExprKind::kRange, take().pos);
      e->low_open = tok.kind == Tok::kLParen;
      e->args.push_back(additive());
      expect(Tok::kComma, "between the two ends of the range");
      e->args.push_back(additive());
      const Token& close = peek();
      if (close.kind != Tok::kRParen && close.kind != Tok::kRBracket)
        fail(close, "expected ')' or ']' to close the range, found " + found(close),
             "']' includes the end, ')' leaves it out");
      e->high_open = close.kind == Tok::kRParen;
      take();
      return sealed(std::move(e));
    }
    auto e = node(ExprKind::kName, tok.pos);
    e->name = name("a code list, a set { ... } or a range (a, b]");
    return e;
  }
  ExprPtr additive() {
    auto l = multiplicative();
    while (at(Tok::kPlus) || at(Tok::kMinus)) {
      const Token& op = take();
      l = binary(op.text, op.pos, std::move(l), multiplicative());
    }
    return l;
  }
  ExprPtr multiplicative() {
    auto l = unary();
    while (at(Tok::kStar) || at(Tok::kSlash)) {
      const Token& op = take();
      l = binary(op.text, op.pos, std::move(l), unary());
    }
    return l;
  }
  ExprPtr unary() {
    if (at(Tok::kMinus)) {
      const Nesting level(*this, peek());
      auto e = node(ExprKind::kUnary, take().pos);
      e->name = "-";
      e->args.push_back(unary());
      return sealed(std::move(e));
    }
    return postfix();
  }
  void arguments(Expr& call) {
    expect(Tok::kLParen, "");
    if (!at(Tok::kRParen)) {
      do call.args.push_back(expr());
      while (at(Tok::kComma) && (take(), true));
    }
    expect(Tok::kRParen, "to close the arguments of '" + call.name + "'");
  }
  ExprPtr postfix() {
    auto e = primary();
    while (at(Tok::kDot)) {
      take();
      const Token& member = peek();
      if (member.kind != Tok::kIdent) fail(member, "expected a column or method name after '.', found " + found(member), "");
      take();
      if (at(Tok::kLParen)) {
        auto call = node(ExprKind::kCall, member.pos);
        call->name = member.text;
        call->has_object = true;
        call->args.push_back(std::move(e));
        arguments(*call);
        e = sealed(std::move(call));
      } else {
        auto m = node(ExprKind::kMember, member.pos);
        m->name = member.text;
        m->args.push_back(std::move(e));
        e = sealed(std::move(m));
      }
    }
    return e;
  }
  ExprPtr primary() {
    const Token& tok = peek();
    switch (tok.kind) {
      case Tok::kInt: {
        take();
        if (at(Tok::kIdent) && is_unit(peek().text)) {
          auto e = node(ExprKind::kDuration, tok.pos);
          e->literal = tok.text;
          const std::string unit = take().text;
          e->name = unit.back() == 's' ? unit : unit + "s";
          return e;
        }
        auto e = node(ExprKind::kInt, tok.pos);
        e->literal = tok.text;
        return e;
      }
      case Tok::kFloat: {
        auto e = node(ExprKind::kFloat, take().pos);
        e->literal = tok.text;
        return e;
      }
      case Tok::kDate: {
        auto e = node(ExprKind::kDate, tok.pos);
        e->literal = tok.text;
        const auto d = parse_iso_date(tok.text);
        if (!d) fail(tok, "'" + tok.text + "' is not a calendar date", "expected YYYY-MM-DD");
        e->date = *d;
        take();
        return e;
      }
      case Tok::kString: {
        auto e = node(ExprKind::kString, take().pos);
        e->literal = tok.text;
        return e;
      }
      case Tok::kLParen: {
        take();
        auto e = expr();
        expect(Tok::kRParen, "to close '('");
        return e;
      }
      case Tok::kIdent: {
        if (tok.text == "true" || tok.text == "false") {
          auto e = node(ExprKind::kBool, take().pos);
          e->literal = tok.text;
          return e;
        }
        if (tok.text == "null") return node(ExprKind::kNull, take().pos);
        if (tok.text == "case") return case_expr();
        const std::string n = name("a value");
        if (at(Tok::kLParen)) {
          auto call = node(ExprKind::kCall, tok.pos);
          call->name = n;
          arguments(*call);
          return sealed(std::move(call));
        }
        auto e = node(ExprKind::kName, tok.pos);
        e->name = n;
        return e;
      }
      default:
        fail(tok, "expected a value, found " + found(tok),
             "a value is a name, a number, a date, a string, true, false, null, case ... end or (...)");
    }
  }
  ExprPtr case_expr() {
    auto e = node(ExprKind::kCase, take().pos);
    if (!at_word("when")) fail(peek(), "expected 'when' after 'case', found " + found(peek()), "");
    while (at_word("when")) {
      take();
      e->args.push_back(expr());
      expect_word("then", "after the condition");
      e->args.push_back(expr());
    }
    if (at_word("else")) {
      take();
      e->args.push_back(expr());
      e->has_else = true;
    }
    if (!at_word("end")) fail(peek(), "expected 'when', 'else' or 'end' in case, found " + found(peek()), "every case ends with 'end'");
    take();
    return sealed(std::move(e));
  }

  const SourceFile& file_;
  std::vector<Token> t_;
  std::size_t i_ = 0;
  int depth_ = 0;  // see Nesting
};

}  // namespace

namespace {

// The header and each measure's comment, from the file's comments (ast.h says which lines).
void attach_comments(const std::vector<Comment>& comments, Definition& d) {
  std::map<int, const std::string*> own_lines;  // by line
  for (const auto& c : comments)
    if (c.own_line) own_lines[c.pos.line] = &c.text;
  int header_lines = 0;
  for (auto it = own_lines.find(1); it != own_lines.end() && it->first == header_lines + 1; ++it) {
    ++header_lines;
    const std::string& text = *it->second;
    const auto field = [&](std::string_view key, std::string& into) {
      if (!text.starts_with(key) || text.size() <= key.size() || text[key.size()] != ':') return false;
      const std::size_t from = text.find_first_not_of(' ', key.size() + 1);
      into = from == std::string::npos ? std::string() : text.substr(from);
      return true;
    };
    if (field("title", d.header.title) || field("source", d.header.source) || field("version", d.header.version)) continue;
    d.header.notes += (d.header.notes.empty() ? "" : " ") + text;
  }
  for (auto& m : d.measures) {
    std::vector<const std::string*> above;  // nearest first
    for (int line = m.pos.line - 1; line > header_lines; --line) {
      const auto it = own_lines.find(line);
      if (it == own_lines.end()) break;
      above.push_back(it->second);
    }
    for (auto it = above.rbegin(); it != above.rend(); ++it) m.comment += (m.comment.empty() ? "" : " ") + **it;
  }
}

}  // namespace

Definition parse(const SourceFile& file) {
  std::vector<Comment> comments;
  Definition d = Parser(file, lex(file, &comments)).run();
  attach_comments(comments, d);
  return d;
}

}  // namespace severn::lang
