// Internals of the rules engine shared by its .cc files: the syntax tree the parser builds,
// the compiled program the evaluator runs, and the functions between them. Not part of the
// engine's interface (rules.h); other engines and the server must not include it.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rules.h"

namespace cordon::rules::internal {

// --- syntax tree --------------------------------------------------------------------------------

enum class AstKind {
  kNumber, kString, kBool, kNull, kList,
  kIdent,   // text = name
  kMember,  // children[0] . text
  kCall,    // text(children...)
  kMethod,  // children[0] . text (children[1..])
  kUnary,   // text = "!" or "-"; children[0]
  kBinary,  // text = operator; children[0], children[1]
  kAnd, kOr,  // n-ary, flattened
};

struct Ast {
  AstKind kind = AstKind::kNull;
  std::string text;
  double number = 0;
  bool boolean = false;
  int line = 1, column = 1;      // where errors about this node point (the operator for kBinary)
  uint32_t begin = 0, end = 0;   // the node's source span, in bytes
  std::vector<Ast> children;
  int depth = 1;  // of the subtree; bounded by kMaxTreeDepth
};

// Syntax only. Enforces kMaxSourceBytes and kMaxNestingDepth.
std::expected<Ast, Diagnostic> parse_source(std::string_view source);

// "   ^" under a 1-based byte column of a 1-based line, with the line above it.
std::string make_excerpt(std::string_view source, int line, int column);
Diagnostic make_diagnostic(std::string_view source, int line, int column, std::string message,
                           std::vector<std::string> suggestions = {});

// --- compiled program ---------------------------------------------------------------------------

enum class Type : uint8_t {
  kError, kBool, kNumber, kString, kNull,
  kStringList, kNumberList,               // values
  kGoodsList, kPartyList, kHitList,       // collections for macros
  kGoods, kParty, kHit,                   // macro variables
};
std::string_view type_name(Type type);

// Every field the language can read. The evaluator switches on it; no names at run time.
enum class Field : uint16_t {
  // root, strings
  kReference, kKind, kMode, kOffice, kLodgedAt, kLoadingDate, kArrivalDate,
  kRoutingLoading, kRoutingUnloading, kRoutingLoadingCountry, kRoutingUnloadingCountry,
  kVesselImo, kVesselName, kFlight, kPlate, kPlateCountry, kVin, kTrailerPlate,
  kTrailerCountry, kTrailerVin, kTransitDeparture, kTransitDestination,
  // root, numbers and booleans
  kVoyageDays, kTotalValue, kTotalGrossMass, kPairFirstSeenDays,
  kPairDeclarationsSeen, kVinValid, kPairNovel,
  // root collections
  kGoods, kParties, kHits, kRoutingCountries, kTransitSeals, kTransitOffices,
  // a party (named by role, or a macro variable over parties)
  kPartyName, kPartyNameOriginal, kPartyCountry, kPartyCity, kPartyEori, kPartyTin,
  kPartyRole, kPartyFirstSeenDays, kPartyDeclarationsSeen, kPartyControls, kPartyHitRate,
  // a goods item (macro variable)
  kGoodsHs, kGoodsDescription, kGoodsOrigin, kGoodsGrossMass, kGoodsNetMass, kGoodsValue,
  kGoodsCurrency, kGoodsPackages, kGoodsPackageKind, kGoodsContainers, kGoodsValuePerKg,
  kGoodsValuePerKgRatio,
  // a screening hit (macro variable)
  kHitList, kHitEntry, kHitType, kHitScore, kHitField, kHitRole,
  // a string-list element (macro variable)
  kElement,
};

// Where a field access finds its object.
enum class Base : uint8_t { kRoot, kRole, kSlot };

enum class Op : uint8_t {
  // booleans
  kBoolConst, kAnd, kOr, kNot, kBoolField,
  kCmpNum, kCmpStr, kCmpBool,       // cmp = Cmp; a, b children
  kIsNull, kNotNull,                // a = child
  kInStrConst, kInNumConst,         // a = child, b = constant list; negate = "not in"
  kInStrField,                      // a = string child, b = list field node
  kStartsWith, kEndsWith, kContains, kMatches,  // a = subject, b = argument (kMatches: glob)
  kExists, kAll, kExistsOne,        // a = collection field node, b = predicate, slot
  // numbers
  kNumConst, kNumField, kNeg, kAdd, kSub, kMul, kDiv, kAbs, kMin, kMax,
  kCount,                           // like kExists
  kSize,                            // a = collection field node or string
  kStrLength,
  // strings
  kStrConst, kStrField, kLower, kUpper,
  // collections (only as operands of macros, kSize and kInStrField)
  kListField,
};

enum class Cmp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

// Macros nested in macros. Each level multiplies the work by the list's length (goods items
// can number hundreds), so three levels bound a profile's cost at n^3 per declaration.
inline constexpr int kMaxSlots = 3;

struct Node {
  Op op = Op::kBoolConst;
  Type type = Type::kBool;
  Cmp cmp = Cmp::kEq;
  Base base = Base::kRoot;
  uint8_t slot = 0;     // kBase::kSlot fields and macros: the variable slot
  uint8_t role = 0;     // Base::kRole: PartyRole
  bool negate = false;  // kInStrConst/kInNumConst/kInStrField: "not in"
  Field field = Field::kReference;
  uint32_t a = 0, b = 0;  // children, constant indexes, or (n-ary) first arg and count
  uint32_t path = 0;      // fields: index into Program::paths (display name)
  double number = 0;      // kNumConst, kBoolConst (0/1)
};

struct Program {
  ProfileMetadata metadata;
  std::string source;
  std::vector<std::string> fields_used;
  std::vector<Node> nodes;
  std::vector<uint32_t> args;              // n-ary children
  std::vector<std::string> strings;        // kStrConst, kMatches patterns
  std::vector<std::vector<std::string>> string_sets;  // sorted, unique
  std::vector<std::vector<double>> number_sets;
  std::vector<std::string> paths;          // display names of field accesses ("goods[].hs")
  uint32_t root = 0;
  // Top-level conjuncts (or disjuncts) of the root, for explanations, with their source text.
  std::vector<uint32_t> parts;
  std::vector<std::string> part_texts;
  std::optional<int64_t> valid_from, valid_to;  // days since epoch
};

// Type-checks and compiles the tree into program (metadata and source already set).
Diagnostics compile_ast(const Ast& ast, Program& program);

bool eval_program(const Program& program, const Facts& facts);
Explanation explain_program(const Program& program, const Facts& facts);

// Glob match ("*" any run, "?" one byte, "[a-z0-9]" a class, "\" escapes), anchored.
bool glob_match(std::string_view pattern, std::string_view text, uint8_t transform);
// Case transform applied byte-wise while comparing: 0 none, 1 lower, 2 upper (ASCII only).
inline char transform_char(char c, uint8_t transform) {
  if (transform == 1 && c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
  if (transform == 2 && c >= 'a' && c <= 'z') return static_cast<char>(c - 'a' + 'A');
  return c;
}

}  // namespace cordon::rules::internal
