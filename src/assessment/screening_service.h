// Screening as part of the assessment: the watch lists kept in the store and in a Screener,
// declarations screened when they are stored, and stored declarations re-screened when a list
// changes (against the changed entries only).
//
// Several processes may share one store (the server, `cordon lists import`): each keeps its own
// Screener and reloads it when the store's screening generation moves (checked at most once a
// second, before screening).
//
// Thread-safety: safe from many threads; reloads take a lock, screening reads the Screener's
// snapshot.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <expected>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "screening/screening.h"
#include "store/store.h"

namespace cordon::assessment {

struct ScreeningSettings {
  int rescreen_window_days = 30;  // a list change re-screens declarations lodged this recently
  screening::ScreenerOptions screener;
};

struct ListImportOutcome {
  screening::ImportReport report;
  int64_t rescreened_declarations = 0;
  int64_t new_hits = 0;
};

// The Cordon NDJSON line for an entity (docs/screening.md); how lists are kept in the store.
std::string entity_to_json_text(const screening::WatchlistEntity& entity);

class ScreeningService {
 public:
  ScreeningService(store::Store& store, ScreeningSettings settings);

  // Loads lists, exclusions and reviewed false positives from the store.
  store::Result<void> load();
  // Reloads when another process changed lists, exclusions or reviews.
  store::Result<void> refresh_if_changed();

  // Screens declarations that are already stored (ids set) and stores their hits; returns how
  // many hits were new. With `hits_out`, also gives each declaration's hits of this screening as
  // the store lists them (list_hits) for a declaration that had none before — so the pipeline
  // need not read back what was just written.
  // `durability` kDeferred: the caller calls Store::sync() before it acknowledges anything.
  store::Result<int64_t> screen_stored(std::span<const Declaration> declarations,
                                       std::vector<std::vector<store::StoredHit>>* hits_out = nullptr,
                                       store::Store::Durability durability = store::Store::Durability::kSynced);

  // Replaces a list, keeps its version in the store, and re-screens the window's declarations
  // against the added and changed entries only.
  store::Result<ListImportOutcome> import_list(const std::string& list, std::vector<screening::WatchlistEntity> entities,
                                               const std::string& actor, const std::string& source);
  store::Result<void> drop_list(const std::string& list, const std::string& actor);

  store::Result<void> add_exclusion(const std::string& value, const std::string& actor);
  store::Result<void> remove_exclusion(const std::string& value);
  store::Result<void> add_reviewed_false_positive(const screening::ReviewedFalsePositive& reviewed,
                                                  const std::string& reviewer);
  store::Result<void> remove_reviewed_false_positive(const screening::ReviewedFalsePositive& reviewed);

  // The current Screener (a snapshot: keep the pointer for the duration of one request).
  std::shared_ptr<const screening::Screener> screener() const;
  const ScreeningSettings& settings() const { return settings_; }

 private:
  store::Result<std::shared_ptr<screening::Screener>> build_from_store(int64_t& generation);
  std::shared_ptr<screening::Screener> mutable_screener();
  void note_own_change();
  store::Result<int64_t> store_hits(const Declaration& declaration, const std::vector<screening::DeclarationHit>& hits,
                                    const std::string& raised_by);

  store::Store& store_;
  ScreeningSettings settings_;
  mutable std::mutex mutex_;  // guards screener_ and generation_
  std::shared_ptr<screening::Screener> screener_;
  int64_t generation_ = -1;
  std::atomic<int64_t> last_check_ms_{0};
};

}  // namespace cordon::assessment
