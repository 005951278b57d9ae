#include "assessment/screening_service.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "assessment/parallel.h"
#include "core/time.h"

namespace cordon::assessment {
namespace {

// Below this many declarations per thread a batch is screened on the request's own thread.
constexpr std::size_t kMinDeclarationsPerThread = 32;

using nlohmann::json;

// A screening hit on a stored declaration, as the store keeps it.
store::StoredHit stored_hit(const Declaration& declaration, const screening::DeclarationHit& h,
                            const std::string& raised_by) {
  return {declaration.id, h.path, h.value, h.hit.entity->list, h.hit.entity->id, h.hit.score,
          h.hit.matched_field, h.hit.matched_value, h.hit.query_value, h.hit.explanation, "", raised_by};
}

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

store::StoreError internal(std::string message) { return {store::StoreError::Code::kInternal, std::move(message)}; }

}  // namespace

std::string entity_to_json_text(const screening::WatchlistEntity& e) {
  json j = {{"id", e.id}, {"type", screening::to_string(e.type)}};
  json names = json::array();
  for (const auto& n : e.names) {
    json name = {{"name", n.name}, {"kind", n.primary ? std::string("primary") : (n.quality.empty() ? "alias" : n.quality)}};
    if (!n.script.empty()) name["script"] = n.script;
    names.push_back(std::move(name));
  }
  if (!names.empty()) j["names"] = std::move(names);
  if (!e.dates_of_birth.empty()) j["dates_of_birth"] = e.dates_of_birth;
  if (!e.nationalities.empty()) j["nationalities"] = e.nationalities;
  if (!e.addresses.empty()) {
    json addresses = json::array();
    for (const auto& a : e.addresses) addresses.push_back({{"text", a.text}, {"country", a.country}});
    j["addresses"] = std::move(addresses);
  }
  if (!e.identifiers.empty()) {
    json identifiers = json::array();
    for (const auto& id : e.identifiers) {
      json x = {{"type", screening::to_string(id.type)}, {"value", id.value}};
      if (!id.country.empty()) x["country"] = id.country;
      if (!id.note.empty()) x["note"] = id.note;
      identifiers.push_back(std::move(x));
    }
    j["identifiers"] = std::move(identifiers);
  }
  for (auto [key, value] : {std::pair{"programme", &e.programme}, std::pair{"listed_on", &e.listed_on},
                            std::pair{"instruction", &e.instruction}, std::pair{"remarks", &e.remarks}}) {
    if (!value->empty()) j[key] = *value;
  }
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

ScreeningService::ScreeningService(store::Store& store, ScreeningSettings settings)
    : store_(store), settings_(std::move(settings)), screener_(std::make_shared<screening::Screener>(settings_.screener)) {}

store::Result<std::shared_ptr<screening::Screener>> ScreeningService::build_from_store(int64_t& generation) {
  auto gen = store_.screening_generation();
  if (!gen) return std::unexpected(gen.error());
  generation = *gen;
  auto screener = std::make_shared<screening::Screener>(settings_.screener);
  auto stored = store_.load_watchlists();
  if (!stored) return std::unexpected(stored.error());
  // Entities come back grouped by list (the store orders them); one NDJSON text per list.
  std::map<std::string, std::string> by_list;
  for (const auto& e : *stored) {
    std::string& text = by_list[e.list];
    text += e.document_json;
    text += '\n';
  }
  for (const auto& [list, text] : by_list) {
    auto entities = screening::parse_cordon_ndjson(text, list);
    if (!entities) {
      return std::unexpected(internal(fmt::format("stored list {} does not parse: {}", list, entities.error().to_string())));
    }
    screener->import_list(list, std::move(*entities));
  }
  auto exclusions = store_.list_screening_exclusions();
  if (!exclusions) return std::unexpected(exclusions.error());
  for (const auto& value : *exclusions) screener->add_exclusion(value);
  auto reviewed = store_.list_reviewed_false_positives();
  if (!reviewed) return std::unexpected(reviewed.error());
  for (const auto& r : *reviewed) screener->add_reviewed_false_positive({r.list, r.entity_id, r.query_value});
  return screener;
}

store::Result<void> ScreeningService::load() {
  // Compiles the transliteration rules now rather than on the first declaration with a name in
  // another script, which would otherwise wait for it.
  (void)screening::normalize_name("Владимир");
  int64_t generation = 0;
  auto built = build_from_store(generation);
  if (!built) return std::unexpected(built.error());
  std::lock_guard lock(mutex_);
  screener_ = std::move(*built);
  generation_ = generation;
  return {};
}

store::Result<void> ScreeningService::refresh_if_changed() {
  int64_t now = steady_ms();
  int64_t last = last_check_ms_.load(std::memory_order_relaxed);
  if (now - last < 1000 || !last_check_ms_.compare_exchange_strong(last, now)) return {};
  auto gen = store_.screening_generation();
  if (!gen) return std::unexpected(gen.error());
  {
    std::lock_guard lock(mutex_);
    if (*gen == generation_) return {};
  }
  spdlog::info("watch lists changed in the store; reloading");
  return load();
}

std::shared_ptr<const screening::Screener> ScreeningService::screener() const {
  std::lock_guard lock(mutex_);
  return screener_;
}

std::shared_ptr<screening::Screener> ScreeningService::mutable_screener() {
  std::lock_guard lock(mutex_);
  return screener_;
}

void ScreeningService::note_own_change() {
  std::lock_guard lock(mutex_);
  auto gen = store_.screening_generation();
  // Exactly one step on: our own change, already in memory. Anything else is another process's
  // change too, and the next refresh reloads.
  if (gen && *gen == generation_ + 1) generation_ = *gen;
}

store::Result<int64_t> ScreeningService::store_hits(const Declaration& declaration,
                                                   const std::vector<screening::DeclarationHit>& hits,
                                                   const std::string& raised_by) {
  std::vector<store::StoredHit> stored;
  stored.reserve(hits.size());
  for (const auto& h : hits) stored.push_back(stored_hit(declaration, h, raised_by));
  return store_.add_hits(stored);
}

store::Result<int64_t> ScreeningService::screen_stored(std::span<const Declaration> declarations,
                                                      std::vector<std::vector<store::StoredHit>>* hits_out,
                                                      store::Store::Durability durability) {
  if (auto refreshed = refresh_if_changed(); !refreshed) return std::unexpected(refreshed.error());
  auto screener = this->screener();
  // Declarations are screened independently (the Screener is a shared read-only snapshot), so a
  // big batch is spread over the cores.
  const std::string raised_by = "intake";
  std::vector<std::vector<store::StoredHit>> per_declaration(declarations.size());
  parallel_chunks(declarations.size(), kMinDeclarationsPerThread, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      for (const auto& h : screener->screen_declaration(declarations[i])) {
        per_declaration[i].push_back(stored_hit(declarations[i], h, raised_by));
      }
    }
  });
  std::vector<store::StoredHit> all;
  for (const auto& hits : per_declaration) all.insert(all.end(), hits.begin(), hits.end());
  auto added = store_.add_hits(all, durability);
  if (!added) return added;
  if (hits_out != nullptr) {
    // What list_hits would now read for a declaration stored by this batch: one hit per (path,
    // list, entity) — the store keeps the first — by descending score, then in insertion order.
    for (auto& hits : per_declaration) {
      std::vector<store::StoredHit> kept;
      for (auto& h : hits) {
        bool seen = std::any_of(kept.begin(), kept.end(), [&](const store::StoredHit& k) {
          return k.path == h.path && k.list == h.list && k.entity_id == h.entity_id;
        });
        if (!seen) kept.push_back(std::move(h));
      }
      std::stable_sort(kept.begin(), kept.end(),
                       [](const store::StoredHit& a, const store::StoredHit& b) { return a.score > b.score; });
      hits = std::move(kept);
    }
    *hits_out = std::move(per_declaration);
  }
  return added;
}

store::Result<ListImportOutcome> ScreeningService::import_list(const std::string& list,
                                                               std::vector<screening::WatchlistEntity> entities,
                                                               const std::string& actor, const std::string& source) {
  if (auto refreshed = refresh_if_changed(); !refreshed) return std::unexpected(refreshed.error());
  std::vector<store::StoredWatchlistEntity> documents;
  documents.reserve(entities.size());
  for (const auto& e : entities) documents.push_back({list, e.id, entity_to_json_text(e)});
  auto screener = mutable_screener();
  ListImportOutcome outcome;
  outcome.report = screener->import_list(list, std::move(entities));
  const auto& r = outcome.report;
  store::WatchlistVersion version{list, r.version, now_timestamp(), actor, source, r.added, r.changed, r.removed,
                                  r.entity_count};
  if (auto stored = store_.replace_watchlist(version, documents); !stored) {
    // The store is the truth: rebuild from it so memory does not keep what was not saved.
    (void)load();
    return std::unexpected(stored.error());
  }
  note_own_change();
  (void)store_.append_audit({0, "", actor, "watchlists.import", "watchlist:" + list,
                             json({{"version", r.version}, {"added", r.added}, {"changed", r.changed},
                                   {"removed", r.removed}, {"source", source}})
                                 .dump()});
  if (r.changed_ids.empty()) return outcome;

  // Real time in the other direction: the recent declarations meet the new and changed entries.
  std::vector<screening::EntityKey> keys;
  keys.reserve(r.changed_ids.size());
  for (const auto& id : r.changed_ids) keys.push_back({list, id});
  std::string since = format_timestamp(now_seconds() - int64_t{settings_.rescreen_window_days} * 86400);
  std::string raised_by = fmt::format("rescreen:{}@{}", list, r.version);
  store::Result<int64_t> failure = 0;
  auto walked = store_.for_each_declaration_since(since, [&](const Declaration& d) {
    ++outcome.rescreened_declarations;
    auto hits = screener->rescreen_declaration(d, keys);
    if (hits.empty()) return true;
    auto added = store_hits(d, hits, raised_by);
    if (!added) {
      failure = added;
      return false;
    }
    outcome.new_hits += *added;
    return true;
  });
  if (!walked) return std::unexpected(walked.error());
  if (!failure) return std::unexpected(failure.error());
  return outcome;
}

store::Result<void> ScreeningService::drop_list(const std::string& list, const std::string& actor) {
  auto screener = mutable_screener();
  screener->drop_list(list);
  store::WatchlistVersion version{list, 0, now_timestamp(), actor, "drop", 0, 0, 0, 0};
  if (auto stored = store_.replace_watchlist(version, {}); !stored) return stored;
  (void)store_.append_audit({0, "", actor, "watchlists.drop", "watchlist:" + list, "{}"});
  return {};
}

store::Result<void> ScreeningService::add_exclusion(const std::string& value, const std::string& actor) {
  if (auto r = store_.add_screening_exclusion(value, actor); !r) return r;
  note_own_change();
  mutable_screener()->add_exclusion(value);
  return {};
}

store::Result<void> ScreeningService::remove_exclusion(const std::string& value) {
  if (auto r = store_.delete_screening_exclusion(value); !r) return r;
  note_own_change();
  mutable_screener()->remove_exclusion(value);
  return {};
}

store::Result<void> ScreeningService::add_reviewed_false_positive(const screening::ReviewedFalsePositive& reviewed,
                                                                  const std::string& reviewer) {
  if (auto r = store_.add_reviewed_false_positive({reviewed.list, reviewed.entity_id, reviewed.query_value, reviewer, ""});
      !r) {
    return r;
  }
  note_own_change();
  mutable_screener()->add_reviewed_false_positive(reviewed);
  return {};
}

store::Result<void> ScreeningService::remove_reviewed_false_positive(const screening::ReviewedFalsePositive& reviewed) {
  if (auto r = store_.delete_reviewed_false_positive({reviewed.list, reviewed.entity_id, reviewed.query_value, "", ""});
      !r) {
    return r;
  }
  note_own_change();
  mutable_screener()->remove_reviewed_false_positive(reviewed);
  return {};
}

}  // namespace cordon::assessment
