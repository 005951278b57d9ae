// The learned score from the command line (docs/scoring.md):
//   cordon model train|list|activate|rollback|drift
//   cordon import kcs FILE        KCS declarations with their control results
//   cordon import controls FILE   control results (controls.ndjson of `cordon simulate`)
#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "assessment/risk_components.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "core/fingerprint.h"
#include "selection/kcs.h"

namespace cordon::cli {
namespace {

using nlohmann::json;

struct ModelOptions {
  StoreOptions store;
  std::string actor, from, to, file;
  int64_t version = 0;
  double test_share = 0.2;
  int depth = 3, rounds = 200, threads = 2, weeks = 12;
  double eta = 0.1;
  bool no_bias_correction = false, activate = false, random = false;
  std::size_t batch = 2000;
};

int with_components(const ModelOptions& o, const std::function<int(store::Store&, assessment::RiskComponents&)>& f) {
  auto store = open_store(o.store);
  if (!store) {
    spdlog::error("cannot open the store: {}", store.error().message);
    return kExitUnavailable;
  }
  auto risk = assessment::open_risk_components(**store, o.store.db);
  if (!risk) {
    spdlog::error("cannot open the risk store: {}", risk.error().message);
    return kExitUnavailable;
  }
  return f(**store, **risk);
}

int failure(const assessment::ModelError& e) {
  fmt::print(stderr, "refused: {}\n", e.message);
  return e.kind == assessment::ModelErrorKind::kStore ? kExitUnavailable : kExitFailure;
}

void print_split(const char* name, const assessment::SplitMetrics& m) {
  fmt::print("  {:<22} {:>6} rows, {:>5} irregular, AUC {:.3f}", name, m.rows, m.irregular, m.auc);
  for (const auto& p : m.at) fmt::print(" | {:.0f} %: P {:.3f} R {:.3f}", 100 * p.share, p.precision, p.recall);
  fmt::print("\n");
}

int train(const ModelOptions& o) {
  return with_components(o, [&](store::Store&, assessment::RiskComponents& c) {
    assessment::TrainOptions t;
    t.from = o.from;
    t.to = o.to;
    t.test_share = o.test_share;
    t.correct_selection_bias = !o.no_bias_correction;
    t.params.max_depth = o.depth;
    t.params.rounds = o.rounds;
    t.params.eta = o.eta;
    t.params.threads = o.threads;
    t.actor = o.actor;
    auto r = c.models->train(t);
    if (!r) return failure(r.error());
    fmt::print(
        "model version {} (candidate): {} declarations replayed, {} with control results; trained on the "
        "first {}, tested on the {} from {} ({:.1f} s)\n",
        r->version, r->declarations, r->controlled, r->train_rows, r->test_rows, r->split_at, r->seconds);
    print_split("held out, all controls", r->test);
    print_split("held out, random only", r->test_random);
    if (o.activate) {
      auto e = c.models->activate(r->version, o.actor);
      if (!e) return failure(e.error());
      fmt::print("model version {} is active (was {})\n", e->version, e->previous);
    }
    return kExitOk;
  });
}

int list(const ModelOptions& o) {
  return with_components(o, [&](store::Store&, assessment::RiskComponents& c) {
    auto models = c.risk_store->list_models();
    if (!models) return kExitUnavailable;
    for (const auto& m : *models) {
      json metrics = json::parse(m.metrics_json, nullptr, false);
      std::string summary;
      if (metrics.is_object() && metrics.contains("test")) {
        for (const auto& p : metrics["test"].value("at", json::array())) {
          summary += fmt::format(" P@{:.0f}%={:.3f}", 100 * p.value("share", 0.0), p.value("precision", 0.0));
        }
      }
      fmt::print("{}\t{}\t{}\t{}\t{}{}\n", m.version, m.status, m.created_at, m.created_by, m.feature_schema, summary);
    }
    return kExitOk;
  });
}

int drift(const ModelOptions& o) {
  return with_components(o, [&](store::Store&, assessment::RiskComponents& c) {
    assessment::DriftOptions d;
    d.weeks = o.weeks;
    auto r = c.models->drift(d);
    if (!r) return failure(r.error());
    fmt::print("{:<12} {:>8} {:>10} {:>9} {:>9} {:>14} {:>11}\n", "week", "selected", "controlled", "irregular",
               "precision", "random ctrl", "random rate");
    for (const auto& w : r->weeks) {
      fmt::print("{:<12} {:>8} {:>10} {:>9} {:>9.3f} {:>14} {:>11.3f}\n", w.week, w.selected, w.controlled, w.irregular,
                 w.precision, w.random_controlled, w.random_rate);
    }
    fmt::print("{}{}\n", r->alert ? "ALERT: " : "", r->message);
    return r->alert ? kExitFailure : kExitOk;
  });
}

std::expected<std::string, std::string> slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::unexpected(fmt::format("cannot open {}", path));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// KCS: the whole file is checked first; one malformed line refuses it (nothing stored).
int import_kcs(const ModelOptions& o) {
  auto text = slurp(o.file);
  if (!text) {
    spdlog::error("{}", text.error());
    return kExitUsage;
  }
  auto records = selection::parse_kcs_csv(*text);
  if (!records) {
    for (const auto& e : records.error()) fmt::print(stderr, "{}: {}\n", o.file, e.to_string());
    fmt::print(stderr, "{}: refused, nothing stored\n", o.file);
    return kExitFailure;
  }
  std::stable_sort(records->begin(), records->end(),
                   [](const selection::KcsRecord& a, const selection::KcsRecord& b) { return a.date < b.date; });
  return with_components(o, [&](store::Store& store, assessment::RiskComponents& c) {
    int64_t stored = 0, duplicates = 0, controls = 0;
    Progress progress("importing", records->size());
    for (size_t start = 0; start < records->size(); start += o.batch) {
      size_t end = std::min(records->size(), start + o.batch);
      std::vector<store::NewDeclaration> batch;
      for (size_t i = start; i < end; ++i) {
        Declaration d = selection::to_declaration((*records)[i]);
        uint64_t fp = fingerprint(d.reference + "|" + (*records)[i].date + "|" + (*records)[i].importer_id + "|" +
                                  (*records)[i].hs6 + "|" + fmt::format("{}", (*records)[i].item_price));
        batch.push_back({std::move(d), fp, {}});
      }
      store::AuditEntry audit{0, {}, "cli:import-kcs", "declarations.import", fmt::format("kcs:{}", o.file), "{}"};
      auto inserted = store.insert_declarations(batch, &audit);
      if (!inserted) {
        progress.finish();
        spdlog::error("storing records {}-{} failed: {}", start + 1, end, inserted.error().message);
        return kExitUnavailable;
      }
      std::vector<Declaration> fresh;
      std::vector<store::ControlResult> results;
      for (size_t i = 0; i < batch.size(); ++i) {
        const auto& r = (*inserted)[i];
        if (r.status != store::InsertStatus::kStored) {
          ++duplicates;
          continue;
        }
        batch[i].declaration.id = r.id;
        fresh.push_back(batch[i].declaration);
        const selection::KcsRecord& k = (*records)[start + i];
        store::ControlResult cr;
        cr.declaration_id = r.id;
        cr.irregularity = k.fraud;
        if (k.fraud) cr.category = k.critical_fraud > 0 ? "critical_fraud" : "fraud";
        cr.recorded_by = "kcs-import";
        results.push_back(std::move(cr));
      }
      stored += static_cast<int64_t>(fresh.size());
      if (!fresh.empty()) {
        if (auto a = c.pipeline->assess(fresh); !a) {
          spdlog::error("assessing records {}-{} failed: {}", start + 1, end, a.error().message);
          return kExitUnavailable;
        }
        if (auto r = c.pipeline->record_controls(results); !r) {
          spdlog::error("recording the control results of records {}-{} failed: {}", start + 1, end, r.error().message);
          return kExitUnavailable;
        }
        controls += static_cast<int64_t>(results.size());
      }
      progress.update(end);
    }
    progress.finish();
    fmt::print("{}: {} declarations stored with {} control results, {} already stored\n", o.file, stored, controls,
               duplicates);
    return kExitOk;
  });
}

// controls.ndjson: {"reference", "declarant_eori", "outcome": "irregularity"|"no_irregularity", ...}
int import_controls(const ModelOptions& o) {
  auto text = slurp(o.file);
  if (!text) {
    spdlog::error("{}", text.error());
    return kExitUsage;
  }
  return with_components(o, [&](store::Store& store, assessment::RiskComponents& c) {
    std::istringstream in(*text);
    std::string line;
    int64_t number = 0, recorded = 0, unknown = 0, bad = 0;
    std::vector<store::ControlResult> batch;
    auto flush = [&]() -> bool {
      if (batch.empty()) return true;
      if (auto r = c.pipeline->record_controls(batch); !r) {
        spdlog::error("recording control results failed: {}", r.error().message);
        return false;
      }
      recorded += static_cast<int64_t>(batch.size());
      batch.clear();
      return true;
    };
    while (std::getline(in, line)) {
      ++number;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      json j = json::parse(line, nullptr, false);
      std::string outcome = j.is_object() ? j.value("outcome", "") : "";
      if (!j.is_object() || !j.contains("reference") || !j["reference"].is_string() ||
          (outcome != "irregularity" && outcome != "no_irregularity")) {
        fmt::print(stderr,
                   "line {}: expected {{\"reference\", \"declarant_eori\", \"outcome\": \"irregularity\" | "
                   "\"no_irregularity\"}}\n",
                   number);
        ++bad;
        continue;
      }
      store::DeclarationFilter filter;
      filter.reference = j["reference"].get<std::string>();
      filter.declarant_eori = j.value("declarant_eori", "");
      filter.limit = 1;
      auto page = store.list_declarations(filter);
      if (!page) {
        spdlog::error("{}", page.error().message);
        return kExitUnavailable;
      }
      if (page->items.empty()) {
        ++unknown;
        continue;
      }
      store::ControlResult r;
      r.declaration_id = page->items.front().id;
      r.irregularity = outcome == "irregularity";
      r.category = j.value("category", "");
      r.seizure_reference = j.value("seizure_reference", "");
      r.recorded_by = "cli:import-controls";
      r.random = o.random;
      batch.push_back(std::move(r));
      if (batch.size() >= o.batch && !flush()) return kExitUnavailable;
    }
    if (!flush()) return kExitUnavailable;
    fmt::print("{}: {} control results recorded{}, {} for declarations not stored, {} refused\n", o.file, recorded,
               o.random ? " (a random sample)" : "", unknown, bad);
    return bad == 0 ? kExitOk : kExitFailure;
  });
}

}  // namespace

void register_model(CLI::App& app, CommandRegistry& registry) {
  auto o = std::make_shared<ModelOptions>();
  CLI::App* model = app.add_subcommand("model", "The learned risk score: train, list, activate, rollback, drift");
  model->require_subcommand(1);

  CLI::App* tr = model->add_subcommand(
      "train",
      "Train a model on the stored declarations with control results (time-ordered split); stored as a "
      "candidate version");
  tr->add_option("--as", o->actor, "The risk analyst training it")->required();
  tr->add_option("--from", o->from, "Start of the period (lodged_at, inclusive), e.g. 2026-01-01");
  tr->add_option("--to", o->to, "End of the period (exclusive)");
  tr->add_option("--test-share", o->test_share, "Latest share of the controls held out for the metrics")
      ->capture_default_str();
  tr->add_option("--depth", o->depth, "Tree depth")->capture_default_str();
  tr->add_option("--eta", o->eta, "Learning rate")->capture_default_str();
  tr->add_option("--rounds", o->rounds, "Boosting rounds (trees)")->capture_default_str();
  tr->add_option("--threads", o->threads, "Training threads")->capture_default_str();
  tr->add_flag("--no-bias-correction", o->no_bias_correction, "Weigh every control the same (no inverse propensity)");
  tr->add_flag("--activate", o->activate, "Activate the new version right away");
  add_store_options(*tr, o->store);
  tr->callback([o, &registry] { registry.set_exit_code(train(*o)); });

  CLI::App* ls = model->add_subcommand("list", "The registry's versions, newest first, with their held-out precision");
  add_store_options(*ls, o->store);
  ls->callback([o, &registry] { registry.set_exit_code(list(*o)); });

  CLI::App* act = model->add_subcommand("activate", "Make a version the active one (the pipeline scores with it)");
  act->add_option("--version", o->version, "The version")->required();
  act->add_option("--as", o->actor, "The risk analyst")->required();
  add_store_options(*act, o->store);
  act->callback([o, &registry] {
    registry.set_exit_code(with_components(*o, [&](store::Store&, assessment::RiskComponents& c) {
      auto e = c.models->activate(o->version, o->actor);
      if (!e) return failure(e.error());
      fmt::print("model version {} is active (was {})\n", e->version, e->previous);
      return kExitOk;
    }));
  });

  CLI::App* rb = model->add_subcommand("rollback", "Make the version active before the current one active again");
  rb->add_option("--as", o->actor, "The risk analyst")->required();
  add_store_options(*rb, o->store);
  rb->callback([o, &registry] {
    registry.set_exit_code(with_components(*o, [&](store::Store&, assessment::RiskComponents& c) {
      auto e = c.models->rollback(o->actor);
      if (!e) return failure(e.error());
      fmt::print("rolled back: model version {} is active (was {})\n", e->version, e->previous);
      return kExitOk;
    }));
  });

  CLI::App* dr = model->add_subcommand(
      "drift", "Weekly precision of risk selections on control results; exit status 1 when it has fallen (alert)");
  dr->add_option("--weeks", o->weeks, "Weeks shown")->capture_default_str();
  add_store_options(*dr, o->store);
  dr->callback([o, &registry] { registry.set_exit_code(drift(*o)); });

  // Imports that feed the learned score, beside `import declarations`.
  CLI::App* import = app.get_subcommand("import");
  CLI::App* kcs = import->add_subcommand(
      "kcs",
      "Import KCS synthetic import declarations (22-column CSV) with their control results (the Fraud "
      "column). A malformed line refuses the file, named by line and column.");
  kcs->add_option("FILE", o->file, "KCS CSV file")->required()->check(CLI::ExistingFile);
  kcs->add_option("--batch", o->batch, "Declarations per transaction")->capture_default_str();
  add_store_options(*kcs, o->store);
  kcs->callback([o, &registry] { registry.set_exit_code(import_kcs(*o)); });

  CLI::App* controls = import->add_subcommand(
      "controls", "Record control results from an NDJSON file (controls.ndjson of `cordon simulate`)");
  controls->add_option("FILE", o->file, "NDJSON file")->required()->check(CLI::ExistingFile);
  controls->add_flag("--random", o->random, "The controls were a uniform random sample (the unbiased sample)");
  add_store_options(*controls, o->store);
  controls->callback([o, &registry] { registry.set_exit_code(import_controls(*o)); });
}

}  // namespace cordon::cli
