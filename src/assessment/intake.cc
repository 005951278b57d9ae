#include "assessment/intake.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "assessment/parallel.h"
#include "core/declaration_json.h"
#include "core/fingerprint.h"
#include "core/time.h"
#include "core/validation.h"

namespace cordon::assessment {
namespace {

// Below this many documents per thread a batch is decoded on the request's own thread.
constexpr std::size_t kMinDocumentsPerThread = 64;

// Decodes and validates one document into a store-ready declaration, or the errors.
std::expected<store::NewDeclaration, FieldErrors> prepare(std::string_view json_text, const std::string& now) {
  auto declaration = parse_declaration(json_text);
  if (!declaration) return std::unexpected(std::move(declaration.error()));
  declaration->id = 0;  // ids are Cordon's to assign; a sender's is ignored
  // The fingerprint is taken before defaults are filled in, so that resending the same
  // document later is recognised as a duplicate. The encoded text is what the store keeps.
  std::string document = declaration_to_json_text(*declaration);
  uint64_t print = fingerprint(document);
  if (declaration->lodged_at.empty()) {
    declaration->lodged_at = now;
    document = declaration_to_json_text(*declaration);
  }
  return store::NewDeclaration{std::move(*declaration), print, std::move(document)};
}

IntakeStatus status_of(store::InsertStatus s) {
  switch (s) {
    case store::InsertStatus::kStored: return IntakeStatus::kStored;
    case store::InsertStatus::kDuplicate: return IntakeStatus::kDuplicate;
    case store::InsertStatus::kConflict: return IntakeStatus::kConflict;
  }
  return IntakeStatus::kRejected;
}

}  // namespace

std::string_view to_string(IntakeStatus status) {
  switch (status) {
    case IntakeStatus::kStored: return "stored";
    case IntakeStatus::kDuplicate: return "duplicate";
    case IntakeStatus::kConflict: return "conflict";
    case IntakeStatus::kRejected: return "rejected";
  }
  return "unknown";
}

void BatchSummary::count(const IntakeOutcome& outcome) {
  switch (outcome.status) {
    case IntakeStatus::kStored: ++stored; break;
    case IntakeStatus::kDuplicate: ++duplicates; break;
    case IntakeStatus::kConflict: ++conflicts; break;
    case IntakeStatus::kRejected: ++rejected; break;
  }
}

std::expected<IntakeOutcome, store::StoreError> Intake::submit(std::string_view json_text, std::string_view actor) {
  auto batch = submit_ndjson_like({json_text}, actor, false);
  if (!batch) return std::unexpected(batch.error());
  return std::move(batch->front());
}

std::expected<std::vector<IntakeOutcome>, store::StoreError> Intake::submit_ndjson(std::string_view ndjson,
                                                                                    std::string_view actor) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= ndjson.size()) {
    std::size_t end = ndjson.find('\n', start);
    if (end == std::string_view::npos) end = ndjson.size();
    std::string_view line = ndjson.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return submit_ndjson_like(lines, actor, true);
}

std::expected<std::vector<IntakeOutcome>, store::StoreError> Intake::submit_ndjson_like(
    const std::vector<std::string_view>& documents, std::string_view actor, bool numbered) {
  std::string now = now_timestamp();
  // Decoding and validation are independent per document: done in parallel for big batches,
  // then gathered in document order.
  std::vector<std::expected<store::NewDeclaration, FieldErrors>> prepared(documents.size(),
                                                                          std::unexpected(FieldErrors{}));
  std::vector<char> blank(documents.size(), 0);
  parallel_chunks(documents.size(), kMinDocumentsPerThread, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      if (numbered && documents[i].find_first_not_of(" \t") == std::string_view::npos) {
        blank[i] = 1;  // blank lines are skipped
        continue;
      }
      prepared[i] = prepare(documents[i], now);
    }
  });
  std::vector<IntakeOutcome> outcomes;
  std::vector<store::NewDeclaration> valid;
  std::vector<std::size_t> valid_outcome;  // index into outcomes for each valid declaration
  outcomes.reserve(documents.size());
  valid.reserve(documents.size());
  for (std::size_t i = 0; i < documents.size(); ++i) {
    if (blank[i]) continue;
    IntakeOutcome outcome;
    outcome.line = numbered ? i + 1 : 0;
    if (!prepared[i]) {
      outcome.status = IntakeStatus::kRejected;
      outcome.errors = std::move(prepared[i].error());
    } else {
      outcome.reference = prepared[i]->declaration.reference;
      valid_outcome.push_back(outcomes.size());
      valid.push_back(std::move(*prepared[i]));
    }
    outcomes.push_back(std::move(outcome));
  }
  if (valid.empty()) return outcomes;

  // Written in the same transaction as the declarations, so the log cannot miss a stored batch.
  // The ids are not known before the insert; the count and the references identify the batch.
  store::AuditEntry audit{0, now, std::string(actor), "declarations.create",
                          fmt::format("declarations:{}", valid.size()),
                          fmt::format(R"({{"count":{},"first_reference":{}}})", valid.size(),
                                      nlohmann::json(valid.front().declaration.reference).dump())};
  // The declarations, their hits and their decision-log entries are committed without flushing
  // to disk, and sync() below flushes all of them at once before anything is acknowledged: one
  // fsync per request instead of three, and outside SQLite's write lock, so other requests'
  // writes go on while this one waits for the disk.
  const auto durability = store::Store::Durability::kDeferred;
  auto inserted = store_.insert_declarations(valid, &audit, durability);
  if (!inserted) return std::unexpected(inserted.error());
  std::vector<Declaration> stored;
  std::vector<std::size_t> stored_index;  // index into valid for each of stored
  for (std::size_t k = 0; k < valid.size(); ++k) {
    // Duplicates too: hits are stored once per declaration, path and entity, so screening a
    // resent declaration again completes one whose screening failed the first time.
    auto status = (*inserted)[k].status;
    if (status == store::InsertStatus::kStored || status == store::InsertStatus::kDuplicate) {
      stored.push_back(std::move(valid[k].declaration));  // only conflicts are read again below
      stored.back().id = (*inserted)[k].id;
      stored_index.push_back(k);
    }
  }
  std::vector<std::vector<store::StoredHit>> screened_hits;  // per entry of `stored`
  if (screening_ != nullptr) {
    // A failure here leaves the declarations stored but unscreened; the caller gets the error,
    // and resending them screens them.
    auto screened = screening_->screen_stored(stored, pipeline_ != nullptr ? &screened_hits : nullptr, durability);
    if (!screened) return std::unexpected(screened.error());
  }
  std::vector<std::string> channels(valid.size());
  if (pipeline_ != nullptr) {
    // New declarations, and duplicates whose assessment did not complete the first time.
    std::vector<Declaration> to_assess;
    std::vector<std::size_t> assess_index;
    // A new declaration's stored hits are exactly what screening just stored; a duplicate may
    // have more (from re-screening since), so its hits are read from the store.
    std::vector<std::optional<std::vector<store::StoredHit>>> known_hits;
    for (std::size_t s = 0; s < stored.size(); ++s) {
      std::size_t k = stored_index[s];
      const bool duplicate = (*inserted)[k].status == store::InsertStatus::kDuplicate;
      if (duplicate) {
        auto existing = store_.get_assessment(stored[s].id);
        if (!existing) return std::unexpected(existing.error());
        if (*existing) {
          channels[k] = (*existing)->channel;
          continue;
        }
      }
      to_assess.push_back(std::move(stored[s]));
      assess_index.push_back(k);
      if (!duplicate && s < screened_hits.size()) {
        known_hits.emplace_back(std::move(screened_hits[s]));
      } else {
        known_hits.emplace_back(std::nullopt);
      }
    }
    // A failure leaves the declarations stored and screened but unassessed; the caller gets the
    // error and nothing is acknowledged; resending them assesses them.
    auto decisions = pipeline_->assess(to_assess, known_hits, durability);
    if (!decisions) return std::unexpected(decisions.error());
    for (std::size_t a = 0; a < decisions->size(); ++a) channels[assess_index[a]] = (*decisions)[a].channel;
  }
  // Flushes the insert, the hits and the decision entries (and anything else committed
  // unsynced) before anything is acknowledged.
  if (auto synced = store_.sync(); !synced) return std::unexpected(synced.error());
  for (std::size_t k = 0; k < valid.size(); ++k) {
    IntakeOutcome& outcome = outcomes[valid_outcome[k]];
    outcome.status = status_of((*inserted)[k].status);
    outcome.id = (*inserted)[k].id;
    outcome.channel = std::move(channels[k]);
    if (outcome.status == IntakeStatus::kConflict) {
      outcome.errors.push_back(FieldError{
          "reference", "unique_reference",
          fmt::format("{} was already used by declarant {} for a different declaration (id {})",
                      quote_value(outcome.reference), valid[k].declaration.declarant.eori, outcome.id)});
    }
  }
  return outcomes;
}

}  // namespace cordon::assessment
