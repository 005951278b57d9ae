// The rules engine: the risk-profile language analysts write (docs/rules.md), its type checker
// against the declaration schema, a compiled form, and rule sets of many profiles evaluated
// together against one declaration.
//
//   auto profile = compile_profile(
//       R"(goods.exists(g, g.hs.startsWith("2402") && g.origin in ["VN", "AE"])
//          && consignee.first_seen_days < 30)", metadata);       // or a list of Diagnostics
//   auto set = RuleSet::build({*profile, ...});                   // or an error (duplicate id)
//   Facts facts(declaration);                                     // + derived features, hits
//   facts.party(PartyRole::kConsignee).first_seen_days = 12;
//   RuleSetResult result = set->evaluate(facts);                  // profiles that fired
//
// Missing values: a field that is absent (an empty optional string in the declaration, a
// derived feature the pipeline did not fill, a party role not on the declaration) makes every
// comparison that reads it false — `==`, `!=`, `<`, `in` and `not in` alike — and never an
// error at run time. `x == null` / `x != null` test presence. Errors are found at compile time.
//
// Thread-safety: CompiledProfile and RuleSet are immutable once built; any number of threads
// may evaluate them concurrently, each with its own Facts and RuleSetResult.
#pragma once

#include <array>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/declaration.h"

namespace cordon::rules {

// --- limits (what the compiler refuses with a diagnostic rather than risk the stack) ------------

inline constexpr size_t kMaxSourceBytes = 64 * 1024;
inline constexpr int kMaxNestingDepth = 64;  // parentheses, lists, calls and unary operators
inline constexpr int kMaxTreeDepth = 200;    // all operators, e.g. a long chain of + or .field
inline constexpr size_t kMaxNodes = 20'000;  // compiled nodes per profile

// --- input: what the assessment pipeline knows about one declaration ----------------------------

// Derived from stored history up to the declaration's own time. nullopt means "unknown" and
// behaves as a missing value.
struct PartyFeatures {
  std::optional<double> first_seen_days;    // days since the party's first declaration
  std::optional<double> declarations_seen;  // its declarations before this one
  std::optional<double> controls;           // its declarations that were controlled
  std::optional<double> control_hit_rate;   // share of those controls that found something, 0..1
};

struct PairFeatures {         // the consignor–consignee pair
  std::optional<bool> novel;  // never seen together before
  std::optional<double> first_seen_days;
  std::optional<double> declarations_seen;
};

struct GoodsFeatures {  // one per goods item, parallel to Declaration::goods
  // value_per_kg(item) divided by the median for its HS code (6 digits) and origin.
  std::optional<double> value_per_kg_ratio;
};

struct ScreeningHit {  // a watch-list hit from the screening engine
  std::string list;    // "SIM-NATIONAL", "EU-FSF", ...
  std::string entry;   // the list entry's id
  std::string type;    // "person", "organisation", "vehicle", "container", "vessel"
  double score = 0;    // 0..1
  std::string field;   // the declaration field that matched, "parties[1].name"
  std::string role;    // party role wire name when a party matched, else empty
};

inline constexpr size_t kPartyRoleCount = 7;

struct Facts {
  Facts() = default;
  explicit Facts(const Declaration& d) : declaration(&d) {}

  // REQUIRES: non-null and alive for the duration of every evaluate/matches/explain call.
  const Declaration* declaration = nullptr;
  std::array<PartyFeatures, kPartyRoleCount> parties{};  // indexed by PartyRole
  PairFeatures pair;
  std::vector<GoodsFeatures> goods;  // may be shorter than declaration->goods (rest unknown)
  std::vector<ScreeningHit> hits;
  // The day (days since 1970-01-01) against which profile validity periods are checked;
  // nullopt means the date part of declaration->lodged_at as written (profiles with a validity
  // period do not fire when neither is known).
  std::optional<int64_t> as_of_day;

  PartyFeatures& party(PartyRole role) { return parties[static_cast<size_t>(role)]; }
  const PartyFeatures& party(PartyRole role) const { return parties[static_cast<size_t>(role)]; }
};

// Value per kilogram as the language's g.value_per_kg computes it: value / net mass, or
// value / gross mass when the net mass is absent; nullopt when the mass is not positive.
// The pipeline uses it to compute medians and GoodsFeatures::value_per_kg_ratio.
std::optional<double> value_per_kg(const GoodsItem& item);

// --- profiles -----------------------------------------------------------------------------------

enum class Channel { kGreen, kYellow, kRed };
enum class RiskArea {
  kSecuritySafety,
  kFiscal,
  kDrugs,
  kIpr,
  kCites,
  kWeapons,
  kHealth,
  kEnvironment,
  kSanctions,
  kOther,
};
std::string_view to_string(Channel channel);  // "green", "yellow", "red"
std::string_view to_string(RiskArea area);    // "security_safety", "fiscal", "drugs", ...
std::optional<Channel> parse_channel(std::string_view name);
std::optional<RiskArea> parse_risk_area(std::string_view name);
std::vector<std::string_view> risk_area_names();

struct ProfileMetadata {
  std::string id;  // stable identifier, unique within a rule set: "DRG-0042"
  std::string title;
  RiskArea risk_area = RiskArea::kOther;
  std::string owner;                           // the analyst responsible
  std::string valid_from;                      // YYYY-MM-DD inclusive; empty = no start
  std::string valid_to;                        // YYYY-MM-DD inclusive; empty = no end
  double weight = 1;                           // contribution to the risk score, >= 0
  Channel minimum_channel = Channel::kYellow;  // the least channel a firing profile asks for
  std::string rationale;
  int version = 1;  // >= 1; bumped by the store on every change
};

// A problem in a profile. line/column are 1-based positions in the source; both are 0 for a
// metadata problem, which names the field instead ("metadata.valid_to"), and for the note
// ending a list cut at 50 problems (field "profile").
struct Diagnostic {
  int line = 0;
  int column = 0;
  std::string field;                     // "source", "metadata.<name>" or "profile"
  std::string message;                   // "unknown field goods.hss"
  std::vector<std::string> suggestions;  // close names: "goods.hs"
  std::string excerpt;  // the source line and a caret under the column, for display

  // "2:7: unknown field goods.hss (did you mean g.hs?)\n<excerpt>"
  std::string to_string() const;
};
using Diagnostics = std::vector<Diagnostic>;
// All diagnostics, one after another, for logs and CLI output.
std::string to_string(const Diagnostics& diagnostics);

// One line of an explanation: a top-level conjunct (or disjunct) of the profile, whether it
// held, and what it saw ("consignee.first_seen_days = 12", "goods[0], goods[2]").
struct ExplanationPart {
  std::string text;  // the conjunct's source text, whitespace collapsed
  bool value = false;
  std::string detail;
};
using Explanation = std::vector<ExplanationPart>;

namespace internal {
struct Program;
}

// A type-checked, compiled profile. Cheap to copy (shares the compiled form).
class CompiledProfile {
 public:
  // Obtained only from compile_profile.
  const ProfileMetadata& metadata() const;
  const std::string& source() const;
  // Dotted names of the schema fields the profile reads, sorted ("consignee.first_seen_days",
  // "goods.hs", ...), for the profile editor and for deciding which features to compute.
  const std::vector<std::string>& fields_used() const;

  // REQUIRES: facts.declaration != nullptr. Ignores the validity period.
  bool matches(const Facts& facts) const;
  Explanation explain(const Facts& facts) const;
  // Whether the validity period covers the day (days since 1970-01-01).
  bool valid_on(int64_t day) const;

 private:
  CompiledProfile() = default;
  friend std::expected<CompiledProfile, Diagnostics> compile_profile(std::string_view,
                                                                     ProfileMetadata);
  friend class RuleSet;
  std::shared_ptr<const internal::Program> program_;
};

// Parses, type-checks and compiles. Refuses (with every problem found, in source order):
// syntax errors, unknown fields (with close names), type errors, wrong arity, a macro
// variable used outside its macro, constants that can never match an enumerated field
// (mode == "ship"), sources over kMaxSourceBytes or nested deeper than kMaxNestingDepth,
// and bad metadata (empty id, weight < 0, version < 1, dates that are not YYYY-MM-DD,
// valid_from after valid_to).
std::expected<CompiledProfile, Diagnostics> compile_profile(std::string_view source,
                                                            ProfileMetadata metadata);
// The source checks alone, for an editor validating as the analyst types.
Diagnostics check_source(std::string_view source);

// Every field the language knows, as analysts write them: "mode", "consignee.first_seen_days",
// "goods[].hs" (read inside goods.exists(g, g.hs ...)), "hits[].score"; with its type:
// "boolean", "number", "text", "list of texts", "list of goods items", ... For editors
// (completion) and the API; docs/rules.md describes each.
struct SchemaField {
  std::string name;
  std::string type;
};
std::vector<SchemaField> schema_fields();

// --- rule sets ----------------------------------------------------------------------------------

struct Firing {
  uint32_t index = 0;   // position of the profile in the rule set
  std::string_view id;  // points into the rule set; valid while it lives
  int version = 0;
  double weight = 0;
  Channel channel = Channel::kYellow;  // the profile's minimum channel
  RiskArea risk_area = RiskArea::kOther;
  Explanation explanation;  // empty unless EvaluateOptions::explain
};

struct RuleSetResult {
  std::vector<Firing> fired;          // in rule-set order
  double total_weight = 0;            // sum of the fired profiles' weights
  Channel channel = Channel::kGreen;  // the highest minimum channel among them; green if none
  uint32_t candidates = 0;            // profiles evaluated after the index skipped the rest
  // Reused between calls when a result object is passed back to evaluate(); not for callers.
  std::vector<uint64_t> scratch;
};

struct EvaluateOptions {
  bool explain = true;    // fill Firing::explanation (costs a second pass over fired profiles)
  bool use_index = true;  // false evaluates every profile (reference for tests)
};

// What the index did with the profiles, for the bench and the admin page.
struct IndexStats {
  size_t profiles = 0;
  size_t by_hs_prefix_and_origin = 0, by_hs_prefix = 0, by_origin = 0, by_office = 0;
  size_t by_mode = 0, by_route_country = 0, by_party_country = 0, by_hits = 0;
  size_t unindexed = 0;  // evaluated for every declaration
};

// An immutable set of active profiles. To change what is active (activation, expiry, a new
// version), build a new RuleSet and publish it, e.g. as a std::shared_ptr<const RuleSet>
// swapped atomically; evaluations in flight keep the one they started with.

class RuleSet {
 public:
  RuleSet();
  ~RuleSet();
  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;

  // Indexes the profiles. Each is filed under one condition found in its top-level
  // conjunction that every declaration it fires on must meet (an HS prefix and origin of the
  // same goods item, an HS prefix, an origin, the office, the mode, a routing country, a party
  // country, "has screening hits"), so evaluation looks only at profiles whose condition the
  // declaration meets, plus the unindexed ones. The index never changes which profiles fire.
  // Refuses duplicate profile ids.
  static std::expected<RuleSet, std::string> build(std::vector<CompiledProfile> profiles);

  size_t size() const;
  const CompiledProfile& profile(size_t index) const;
  IndexStats index_stats() const;

  // The profiles that fire for the declaration and are valid on its day.
  // REQUIRES: facts.declaration != nullptr. Reuses out's buffers (no allocation once warm when
  // nothing fires and explain is off).
  void evaluate(const Facts& facts, RuleSetResult& out, const EvaluateOptions& options = {}) const;
  RuleSetResult evaluate(const Facts& facts, const EvaluateOptions& options = {}) const;

 private:
  struct Index;
  std::vector<CompiledProfile> profiles_;
  std::unique_ptr<Index> index_;
};

}  // namespace cordon::rules
