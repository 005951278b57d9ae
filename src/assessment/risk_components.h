// The risk side of Cordon opened together for the CLI and the server: the risk store in the
// same SQLite file as the core store, the pipeline (loaded: active profiles compiled, feature
// aggregates rebuilt from history) and the profile service.
#pragma once

#include <filesystem>
#include <memory>

#include "assessment/model_service.h"
#include "assessment/pipeline.h"
#include "assessment/profiles.h"
#include "store/risk_store.h"
#include "store/store.h"

namespace cordon::assessment {

struct RiskComponents {
  std::unique_ptr<store::RiskStore> risk_store;
  std::unique_ptr<Pipeline> pipeline;
  std::unique_ptr<ProfileService> profiles;
  std::unique_ptr<ModelService> models;  // the learned score's training, registry and drift
};

// REQUIRES: `store` is the core store of the same database file and outlives the result.
store::Result<std::unique_ptr<RiskComponents>> open_risk_components(store::Store& store,
                                                                    const std::filesystem::path& db,
                                                                    PipelineSettings settings = {});

}  // namespace cordon::assessment
