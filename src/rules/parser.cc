// The profile grammar in PEGTL, and the actions that build the syntax tree. Kept in one file
// because PEGTL grammars are slow to compile.
//
//   profile  := ws expr EOF
//   expr     := and ("||" and)*
//   and      := cmp ("&&" cmp)*
//   cmp      := add (("=="|"!="|"<="|">="|"<"|">"|"in"|"not" "in") add)?   (does not chain)
//   add      := mul (("+"|"-") mul)*
//   mul      := unary (("*"|"/") unary)*
//   unary    := ("!"|"-") unary | postfix
//   postfix  := primary ("." name ("(" args ")")?)*
//   primary  := number | string | true | false | null | "[" args "]" | "(" expr ")"
//             | name ("(" args ")")?
//   comments run from "#" to the end of the line.
#include <charconv>
#include <tao/pegtl.hpp>

#include "rules/internal.h"

namespace cordon::rules::internal {
namespace {

namespace pg = tao::pegtl;

// --- grammar ------------------------------------------------------------------------------------

struct comment : pg::seq<pg::one<'#'>, pg::until<pg::eolf>> {};
struct ws : pg::star<pg::sor<pg::space, comment>> {};
template <typename Rule>
struct tok : pg::seq<Rule, ws> {};

struct kw_true : pg::keyword<'t', 'r', 'u', 'e'> {};
struct kw_false : pg::keyword<'f', 'a', 'l', 's', 'e'> {};
struct kw_null : pg::keyword<'n', 'u', 'l', 'l'> {};
struct kw_in : pg::keyword<'i', 'n'> {};
struct kw_not : pg::keyword<'n', 'o', 't'> {};
struct keyword : pg::sor<kw_true, kw_false, kw_null, kw_in, kw_not> {};

struct name : pg::seq<pg::not_at<keyword>, pg::identifier> {};

struct exponent_digits : pg::plus<pg::digit> {};
struct number
    : pg::seq<pg::plus<pg::digit>, pg::opt<pg::one<'.'>, pg::plus<pg::digit>>,
              pg::opt<pg::one<'e', 'E'>, pg::opt<pg::one<'+', '-'>>, pg::must<exponent_digits>>> {};

struct escape_code : pg::sor<pg::one<'"', '\'', '\\', '/', 'n', 't', 'r'>,
                             pg::seq<pg::one<'u'>, pg::rep<4, pg::xdigit>>> {};
struct escape : pg::seq<pg::one<'\\'>, pg::must<escape_code>> {};
template <char Quote>
struct string_char
    : pg::sor<escape, pg::seq<pg::not_at<pg::one<Quote>>, pg::not_at<pg::eol>, pg::any>> {};
template <char Quote>
struct string_close : pg::one<Quote> {};
template <char Quote>
struct quoted
    : pg::seq<pg::one<Quote>, pg::star<string_char<Quote>>, pg::must<string_close<Quote>>> {};
struct string_literal : pg::sor<quoted<'"'>, quoted<'\''>> {};

struct expr;
struct close_paren : pg::one<')'> {};
struct close_bracket : pg::one<']'> {};
struct comma : tok<pg::one<','>> {};
struct arg;  // expr, named so a missing argument gets its own message
// A trailing comma before the closing bracket is allowed: lists are often one item a line.
struct arg_list
    : pg::opt<expr, pg::star<comma, pg::sor<pg::at<pg::one<']', ')'>>, pg::must<arg>>>> {};

struct open_paren_call : tok<pg::one<'('>> {};
struct call_args : pg::seq<open_paren_call, arg_list, pg::must<close_paren>, ws> {};
struct open_bracket : tok<pg::one<'['>> {};
struct list_literal : pg::seq<open_bracket, arg_list, pg::must<close_bracket>, ws> {};
struct inner_expr;
struct parenthesised : pg::seq<tok<pg::one<'('>>, pg::must<inner_expr>, pg::must<close_paren>, ws> {
};

struct literal_true : tok<kw_true> {};
struct literal_false : tok<kw_false> {};
struct literal_null : tok<kw_null> {};
struct number_token : tok<number> {};
struct string_token : tok<string_literal> {};
struct name_token : tok<name> {};
struct call_or_name : pg::seq<name_token, pg::opt<call_args>> {};
struct primary : pg::sor<parenthesised, list_literal, number_token, string_token, literal_true,
                         literal_false, literal_null, call_or_name> {};

struct member_name : tok<name> {};
struct method_args : call_args {};
struct postfix_op : pg::seq<tok<pg::one<'.'>>, pg::must<member_name>, pg::opt<method_args>> {};
struct postfix : pg::seq<primary, pg::star<postfix_op>> {};

struct unary;
struct operand;
struct unary_op : tok<pg::sor<pg::seq<pg::one<'!'>, pg::not_at<pg::one<'='>>>, pg::one<'-'>>> {};
struct unary_apply : pg::seq<unary_op, pg::must<operand>> {};
struct unary : pg::sor<unary_apply, postfix> {};

struct mul_op : tok<pg::one<'*', '/'>> {};
struct mul_tail : pg::seq<mul_op, pg::must<operand>> {};
struct mul : pg::seq<unary, pg::star<mul_tail>> {};

struct add_op : tok<pg::one<'+', '-'>> {};
struct add_operand : pg::seq<mul> {};
struct add_tail : pg::seq<add_op, pg::must<add_operand>> {};
struct add : pg::seq<mul, pg::star<add_tail>> {};

struct single_equals : pg::seq<pg::one<'='>, pg::not_at<pg::one<'='>>> {};
struct cmp_op : tok<pg::sor<pg::string<'=', '='>, pg::string<'!', '='>, pg::string<'<', '='>,
                            pg::string<'>', '='>, pg::one<'<'>, pg::one<'>'>,
                            pg::seq<kw_not, ws, pg::must<kw_in>>, kw_in, single_equals>> {};
struct cmp_operand : pg::seq<add> {};
struct cmp_tail : pg::seq<cmp_op, pg::must<cmp_operand>> {};
struct cmp : pg::seq<add, pg::opt<cmp_tail>> {};

struct single_amp : pg::seq<pg::one<'&'>, pg::not_at<pg::one<'&'>>> {};
struct single_bar : pg::seq<pg::one<'|'>, pg::not_at<pg::one<'|'>>> {};
struct and_operand : pg::seq<cmp> {};
struct and_tail : pg::seq<tok<pg::string<'&', '&'>>, pg::must<and_operand>> {};
struct and_expr : pg::seq<cmp, pg::star<and_tail>> {};
struct or_operand : pg::seq<and_expr> {};
struct or_tail : pg::seq<tok<pg::string<'|', '|'>>, pg::must<or_operand>> {};
struct expr : pg::seq<and_expr, pg::star<or_tail>> {};
// Wrappers (not subclasses) so that each gets its own error message while recursion still
// passes through `unary`, where nesting is counted.
struct arg : pg::seq<expr> {};
struct inner_expr : pg::seq<expr> {};
struct operand : pg::seq<unary> {};

struct trailing : pg::sor<single_amp, single_bar, pg::eof> {};
struct profile : pg::seq<ws, pg::must<expr>, pg::must<trailing>> {};

// --- error messages -----------------------------------------------------------------------------

template <typename Rule>
inline constexpr const char* kMessage = "syntax error";
template <>
inline constexpr const char* kMessage<expr> = "expected a condition";
template <>
inline constexpr const char* kMessage<inner_expr> = "expected an expression after '('";
template <>
inline constexpr const char* kMessage<arg> = "expected an argument after ','";
template <>
inline constexpr const char* kMessage<operand> = "expected an operand";
template <>
inline constexpr const char* kMessage<add_operand> = "expected an operand after the operator";
template <>
inline constexpr const char* kMessage<cmp_operand> = "expected a value to compare with";
template <>
inline constexpr const char* kMessage<and_operand> = "expected a condition after '&&'";
template <>
inline constexpr const char* kMessage<or_operand> = "expected a condition after '||'";
template <>
inline constexpr const char* kMessage<close_paren> = "expected ')' (or ',' between arguments)";
template <>
inline constexpr const char* kMessage<close_bracket> = "expected ']' (or ',' between list items)";
template <>
inline constexpr const char* kMessage<member_name> = "expected a field or method name after '.'";
template <>
inline constexpr const char* kMessage<exponent_digits> = "expected digits in the exponent";
template <>
inline constexpr const char* kMessage<escape_code> =
    "unknown escape; use \\\" \\' \\\\ \\/ \\n \\t \\r or \\uXXXX";
template <>
inline constexpr const char* kMessage<string_close<'"'>> =
    "unterminated string (strings end on the same line)";
template <>
inline constexpr const char* kMessage<string_close<'\''>> =
    "unterminated string (strings end on the same line)";
template <>
inline constexpr const char* kMessage<kw_in> = "expected 'in' after 'not'";
template <>
inline constexpr const char* kMessage<trailing> =
    "unexpected text; expected an operator (&&, ||, ==, <, in, ...), ')' or the end of the profile";

struct State {
  std::vector<Ast> stack;
  std::vector<size_t> marks;     // stack sizes at '(' of calls and '[' of lists
  std::vector<std::string> ops;  // pending operators
  std::vector<std::pair<int, int>> op_positions;
  std::vector<uint32_t> op_begins;
  uint32_t last_end = 0;  // end of the last token, before its trailing whitespace
  int depth = 0;
};

template <typename Rule>
struct control : pg::normal<Rule> {
  template <typename Input, typename... States>
  [[noreturn]] static void raise(const Input& in, States&&...) {
    throw pg::parse_error(kMessage<Rule>, in);
  }
};

// Every level of nesting (parentheses, lists, call arguments, unary operators) passes through
// `unary`; counting its active frames bounds the parser's recursion.
template <>
struct control<unary> : pg::normal<unary> {
  template <typename Input>
  static void start(const Input& in, State& state) {
    if (++state.depth > kMaxNestingDepth) {
      throw pg::parse_error(
          "expression nested deeper than " + std::to_string(kMaxNestingDepth) + " levels", in);
    }
  }
  template <typename Input>
  static void success(const Input&, State& state) {
    --state.depth;
  }
  template <typename Input>
  static void failure(const Input&, State& state) {
    --state.depth;
  }
};

// --- actions ------------------------------------------------------------------------------------

template <typename Input>
Ast leaf(const Input& in, AstKind kind, State& state) {
  Ast node;
  node.kind = kind;
  const auto pos = in.position();
  node.line = static_cast<int>(pos.line);
  node.column = static_cast<int>(pos.column);
  node.begin = static_cast<uint32_t>(in.iterator().byte);
  std::string_view text = in.string_view();
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' ||
                           text.back() == '\r')) {
    text.remove_suffix(1);
  }
  // A token's trailing comment is not part of it.
  node.end = node.begin + static_cast<uint32_t>(text.size());
  state.last_end = node.end;
  return node;
}

// The token text without trailing whitespace and comments.
std::string_view token_text(std::string_view text) {
  size_t end = 0;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote) {
      if (c == '\\') {
        ++i;
        continue;
      }
      if (c == quote) {
        quote = 0;
        end = i + 1;
      }
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      continue;
    }
    if (c == '#' || c == ' ' || c == '\t' || c == '\n' || c == '\r') break;
    end = i + 1;
  }
  return text.substr(0, end);
}

// Long operator chains and postfix chains do not recurse in the parser, but they deepen the
// tree, and the compiler and evaluator recurse over it.
void check_depth(Ast& node) {
  int depth = 0;
  for (const Ast& child : node.children) depth = std::max(depth, child.depth);
  node.depth = depth + 1;
  if (node.depth > kMaxTreeDepth) {
    throw pg::parse_error("expression nested deeper than " + std::to_string(kMaxTreeDepth) +
                              " levels (split long chains with parentheses or simplify)",
                          pg::position(node.begin, static_cast<size_t>(node.line),
                                       static_cast<size_t>(node.column), std::string("profile")));
  }
}

template <typename Rule>
struct action : pg::nothing<Rule> {};

template <>
struct action<number_token> {
  template <typename Input>
  static void apply(const Input& in, State& state) {
    Ast node = leaf(in, AstKind::kNumber, state);
    const std::string_view text = token_text(in.string_view());
    node.end = node.begin + static_cast<uint32_t>(text.size());
    state.last_end = node.end;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), node.number);
    if (ec != std::errc() || ptr != text.data() + text.size()) {
      throw pg::parse_error("number out of range", in);
    }
    state.stack.push_back(std::move(node));
  }
};

void append_utf8(std::string& out, uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

template <>
struct action<string_token> {
  template <typename Input>
  static void apply(const Input& in, State& state) {
    Ast node = leaf(in, AstKind::kString, state);
    const std::string_view text = token_text(in.string_view());
    node.end = node.begin + static_cast<uint32_t>(text.size());
    state.last_end = node.end;
    const std::string_view body = text.substr(1, text.size() - 2);
    for (size_t i = 0; i < body.size(); ++i) {
      if (body[i] != '\\') {
        node.text += body[i];
        continue;
      }
      const char c = body[++i];
      switch (c) {
        case 'n': node.text += '\n'; break;
        case 't': node.text += '\t'; break;
        case 'r': node.text += '\r'; break;
        case 'u': {
          uint32_t code = 0;
          std::from_chars(body.data() + i + 1, body.data() + i + 5, code, 16);
          append_utf8(node.text, code);
          i += 4;
          break;
        }
        default: node.text += c;
      }
    }
    state.stack.push_back(std::move(node));
  }
};

template <bool Value>
struct bool_action {
  template <typename Input>
  static void apply(const Input& in, State& state) {
    Ast node = leaf(in, AstKind::kBool, state);
    node.boolean = Value;
    state.stack.push_back(std::move(node));
  }
};
template <>
struct action<literal_true> : bool_action<true> {};
template <>
struct action<literal_false> : bool_action<false> {};
template <>
struct action<literal_null> {
  template <typename Input>
  static void apply(const Input& in, State& state) {
    state.stack.push_back(leaf(in, AstKind::kNull, state));
  }
};

template <typename Input>
void push_name(const Input& in, State& state) {
  Ast node = leaf(in, AstKind::kIdent, state);
  node.text = std::string(token_text(in.string_view()));
  state.stack.push_back(std::move(node));
}
template <>
struct action<name_token> {
  template <typename Input>
  static void apply(const Input& in, State& state) {
    push_name(in, state);
  }
};
template <>
struct action<member_name> {
  template <typename Input>
  static void apply(const Input& in, State& state) {
    Ast member = leaf(in, AstKind::kMember, state);
    member.text = std::string(token_text(in.string_view()));
    member.begin = state.stack.back().begin;
    member.children.push_back(std::move(state.stack.back()));
    check_depth(member);
    state.stack.back() = std::move(member);
  }
};

template <>
struct action<open_paren_call> {
  template <typename Input>
  static void apply(const Input&, State& state) {
    state.marks.push_back(state.stack.size());
  }
};
template <>
struct action<open_bracket> {
  template <typename Input>
  static void apply(const Input& in, State& state) {
    Ast list = leaf(in, AstKind::kList, state);
    state.stack.push_back(std::move(list));
    state.marks.push_back(state.stack.size());
  }
};
template <>
struct action<close_paren> {
  template <typename Input>
  static void apply(const Input& in, State& state) {
    state.last_end = static_cast<uint32_t>(in.iterator().byte + in.size());
  }
};
template <>
struct action<close_bracket> : action<close_paren> {};

void finish_call(State& state) {
  const size_t mark = state.marks.back();
  state.marks.pop_back();
  std::vector<Ast> args(std::make_move_iterator(state.stack.begin() + static_cast<ptrdiff_t>(mark)),
                        std::make_move_iterator(state.stack.end()));
  state.stack.resize(mark);
  Ast& callee = state.stack.back();
  if (callee.kind == AstKind::kIdent) {
    callee.kind = AstKind::kCall;
    callee.children = std::move(args);
  } else {  // kMember: object.name(args) becomes a method call on object
    callee.kind = AstKind::kMethod;
    for (Ast& a : args) callee.children.push_back(std::move(a));
  }
  callee.end = state.last_end;
  check_depth(callee);
}
template <>
struct action<call_args> {
  template <typename Input>
  static void apply(const Input&, State& state) {
    finish_call(state);
  }
};
template <>
struct action<method_args> : action<call_args> {};
template <>
struct action<list_literal> {
  template <typename Input>
  static void apply(const Input&, State& state) {
    const size_t mark = state.marks.back();
    state.marks.pop_back();
    Ast& list = state.stack[mark - 1];
    for (size_t i = mark; i < state.stack.size(); ++i)
      list.children.push_back(std::move(state.stack[i]));
    state.stack.resize(mark);
    list.end = state.last_end;
    check_depth(list);
  }
};
template <>
struct action<parenthesised> {
  template <typename Input>
  static void apply(const Input& in, State& state) {
    // The span of a parenthesised expression includes its parentheses, for explanations.
    state.stack.back().begin = static_cast<uint32_t>(in.iterator().byte);
    state.stack.back().end = state.last_end;
  }
};

template <typename Input>
void push_op(const Input& in, State& state) {
  state.ops.emplace_back(token_text(in.string_view()));
  const auto pos = in.position();
  state.op_positions.emplace_back(static_cast<int>(pos.line), static_cast<int>(pos.column));
  state.op_begins.push_back(static_cast<uint32_t>(in.iterator().byte));
}
template <>
struct action<unary_op> {
  template <typename I>
  static void apply(const I& in, State& s) {
    push_op(in, s);
  }
};
template <>
struct action<mul_op> : action<unary_op> {};
template <>
struct action<add_op> : action<unary_op> {};
template <>
struct action<cmp_op> : action<unary_op> {};
template <>
struct action<single_equals> {
  template <typename Input>
  static void apply(const Input& in, State&) {
    throw pg::parse_error("'=' is not an operator; use == to compare", in);
  }
};
template <>
struct action<single_amp> {
  template <typename Input>
  static void apply(const Input& in, State&) {
    throw pg::parse_error("'&' is not an operator; use && for 'and'", in);
  }
};
template <>
struct action<single_bar> {
  template <typename Input>
  static void apply(const Input& in, State&) {
    throw pg::parse_error("'|' is not an operator; use || for 'or'", in);
  }
};

template <>
struct action<unary_apply> {
  template <typename Input>
  static void apply(const Input&, State& state) {
    Ast node;
    node.kind = AstKind::kUnary;
    node.text = state.ops.back();
    std::tie(node.line, node.column) = state.op_positions.back();
    node.begin = state.op_begins.back();
    state.ops.pop_back();
    state.op_positions.pop_back();
    state.op_begins.pop_back();
    node.end = state.stack.back().end;
    node.children.push_back(std::move(state.stack.back()));
    check_depth(node);
    state.stack.back() = std::move(node);
  }
};

void finish_binary(State& state) {
  Ast node;
  node.kind = AstKind::kBinary;
  node.text = state.ops.back();
  if (node.text.starts_with("not")) node.text = "not in";
  std::tie(node.line, node.column) = state.op_positions.back();
  state.ops.pop_back();
  state.op_positions.pop_back();
  state.op_begins.pop_back();
  Ast rhs = std::move(state.stack.back());
  state.stack.pop_back();
  node.begin = state.stack.back().begin;
  node.end = rhs.end;
  node.children.push_back(std::move(state.stack.back()));
  node.children.push_back(std::move(rhs));
  check_depth(node);
  state.stack.back() = std::move(node);
}
template <>
struct action<mul_tail> {
  template <typename I>
  static void apply(const I&, State& s) {
    finish_binary(s);
  }
};
template <>
struct action<add_tail> : action<mul_tail> {};
template <>
struct action<cmp_tail> : action<mul_tail> {};

// a && b && c is one n-ary node, so long conjunctions neither deepen the tree nor the stack.
template <AstKind Kind>
void finish_chain(State& state) {
  Ast rhs = std::move(state.stack.back());
  state.stack.pop_back();
  Ast& lhs = state.stack.back();
  if (lhs.kind != Kind) {
    Ast node;
    node.kind = Kind;
    node.line = lhs.line;
    node.column = lhs.column;
    node.begin = lhs.begin;
    node.depth = lhs.depth + 1;
    node.children.push_back(std::move(lhs));
    lhs = std::move(node);
  }
  lhs.end = rhs.end;
  lhs.depth = std::max(lhs.depth, rhs.depth + 1);
  lhs.children.push_back(std::move(rhs));
  if (lhs.depth > kMaxTreeDepth) check_depth(lhs);
}
template <>
struct action<and_tail> {
  template <typename I>
  static void apply(const I&, State& s) {
    finish_chain<AstKind::kAnd>(s);
  }
};
template <>
struct action<or_tail> {
  template <typename I>
  static void apply(const I&, State& s) {
    finish_chain<AstKind::kOr>(s);
  }
};

}  // namespace

std::string make_excerpt(std::string_view source, int line, int column) {
  size_t start = 0;
  for (int l = 1; l < line && start < source.size(); ++l) {
    const size_t nl = source.find('\n', start);
    if (nl == std::string_view::npos) {
      start = source.size();
      break;
    }
    start = nl + 1;
  }
  size_t stop = source.find('\n', start);
  if (stop == std::string_view::npos) stop = source.size();
  std::string_view text = source.substr(start, stop - start);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  std::string excerpt = "  " + std::string(text) + "\n  ";
  const size_t col = static_cast<size_t>(std::max(column, 1)) - 1;
  for (size_t i = 0; i < col && i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) == 0x80) continue;  // one caret column per UTF-8 character
    excerpt += c == '\t' ? '\t' : ' ';
  }
  excerpt += '^';
  return excerpt;
}

Diagnostic make_diagnostic(std::string_view source, int line, int column, std::string message,
                           std::vector<std::string> suggestions) {
  Diagnostic d;
  d.line = line;
  d.column = column;
  d.field = "source";
  d.message = std::move(message);
  d.suggestions = std::move(suggestions);
  d.excerpt = make_excerpt(source, line, column);
  return d;
}

std::expected<Ast, Diagnostic> parse_source(std::string_view source) {
  if (source.size() > kMaxSourceBytes) {
    return std::unexpected(make_diagnostic(source, 1, 1,
                                           "profile is " + std::to_string(source.size()) +
                                               " bytes; the limit is " +
                                               std::to_string(kMaxSourceBytes)));
  }
  if (source.find('\0') != std::string_view::npos) {
    const size_t at = source.find('\0');
    int line = 1, column = 1;
    for (size_t i = 0; i < at; ++i) {
      if (source[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return std::unexpected(make_diagnostic(source, line, column, "NUL byte in profile"));
  }
  State state;
  pg::memory_input<pg::tracking_mode::eager, pg::eol::lf_crlf> in(source.data(), source.size(),
                                                                  "profile");
  try {
    pg::parse<profile, action, control>(in, state);
  } catch (const pg::parse_error& e) {
    const auto& pos = e.positions().front();
    return std::unexpected(make_diagnostic(source, static_cast<int>(pos.line),
                                           static_cast<int>(pos.column), std::string(e.message())));
  }
  if (state.stack.size() != 1) {
    return std::unexpected(make_diagnostic(source, 1, 1, "internal parser error"));
  }
  return std::move(state.stack.front());
}

}  // namespace cordon::rules::internal
