#include "assessment/risk_components.h"

#include "store/sqlite/sqlite_risk_store.h"

namespace cordon::assessment {

store::Result<std::unique_ptr<RiskComponents>> open_risk_components(store::Store& store,
                                                                    const std::filesystem::path& db,
                                                                    PipelineSettings settings) {
  auto risk = store::open_sqlite_risk_store(db);
  if (!risk) return std::unexpected(risk.error());
  auto components = std::make_unique<RiskComponents>();
  components->risk_store = std::move(*risk);
  components->pipeline = std::make_unique<Pipeline>(store, *components->risk_store, std::move(settings));
  if (auto loaded = components->pipeline->load(); !loaded) return std::unexpected(loaded.error());
  components->profiles = std::make_unique<ProfileService>(store, *components->risk_store, components->pipeline.get());
  components->models = std::make_unique<ModelService>(store, *components->risk_store, components->pipeline.get());
  return components;
}

}  // namespace cordon::assessment
