// Intake: the first steps of the assessment pipeline — decode, validate, store — shared by
// every entry point (the API's single and NDJSON requests, `cordon import`), so that a
// declaration is treated the same whichever way it arrives.
//
// Steps: decode → validate → store → screen (hits stored) → rules → select → decision log
// (assessment stored). With a Pipeline, a declaration is acknowledged only after its decision
// is durably logged.
//
// Thread-safety: an Intake may be used from many threads at once; it holds no mutable state
// of its own and the Store is thread-safe.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "assessment/pipeline.h"
#include "assessment/screening_service.h"
#include "core/field_error.h"
#include "store/store.h"

namespace cordon::assessment {

enum class IntakeStatus {
  kStored,     // new, stored under `id`
  kDuplicate,  // already stored with the same content under `id`; nothing changed
  kConflict,   // the reference was already used by this declarant for different content (`id`)
  kRejected,   // invalid; `errors` says why; nothing stored
};

std::string_view to_string(IntakeStatus status);

struct IntakeOutcome {
  IntakeStatus status = IntakeStatus::kRejected;
  int64_t id = 0;
  std::string reference;
  FieldErrors errors;
  std::size_t line = 0;  // 1-based line number within an NDJSON batch; 0 for a single document
  std::string channel;   // with a pipeline: the assessed channel of a stored declaration
};

struct BatchSummary {
  std::size_t stored = 0, duplicates = 0, conflicts = 0, rejected = 0;
  void count(const IntakeOutcome& outcome);
};

class Intake {
 public:
  // With a screening service, every newly stored declaration is screened and its hits stored
  // before the outcome is returned.
  // With a pipeline too, every newly stored declaration is assessed (rules, selection) and its
  // decision logged before the outcome is returned; a resent duplicate without an assessment
  // (its first assessment failed) is assessed then.
  explicit Intake(store::Store& store, ScreeningService* screening = nullptr, Pipeline* pipeline = nullptr)
      : store_(store), screening_(screening), pipeline_(pipeline) {}

  // Decodes, validates and stores one JSON document. A store failure is the error; an invalid
  // document is an outcome with status kRejected.
  std::expected<IntakeOutcome, store::StoreError> submit(std::string_view json_text, std::string_view actor);

  // One declaration per non-empty line. Valid lines are stored together in one transaction;
  // invalid lines are reported by line number and do not stop the others. On a store failure
  // nothing of the batch is stored.
  std::expected<std::vector<IntakeOutcome>, store::StoreError> submit_ndjson(std::string_view ndjson,
                                                                              std::string_view actor);

 private:
  // Shared by both: numbered documents are NDJSON lines (blank ones skipped).
  std::expected<std::vector<IntakeOutcome>, store::StoreError> submit_ndjson_like(
      const std::vector<std::string_view>& documents, std::string_view actor, bool numbered);

  store::Store& store_;
  ScreeningService* screening_;
  Pipeline* pipeline_;
};

}  // namespace cordon::assessment
