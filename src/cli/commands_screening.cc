// Screening from the command line: `cordon lists import|status`, `cordon screen FILE`,
// `cordon match "NAME A" "NAME B"`.
#include <fstream>
#include <iostream>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "assessment/screening_service.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "core/validation.h"
#include "screening/screening.h"

namespace cordon::cli {
namespace {

namespace scr = cordon::screening;
using nlohmann::json;

struct ListsImportOptions {
  StoreOptions store;
  std::string path, format = "cordon-ndjson", list;
};

int run_lists_import(const ListsImportOptions& o) {
  auto format = scr::parse_list_format(o.format);
  if (!format) {
    fmt::print(stderr, "--format: \"{}\" is not one of ofac-sdn, un-xml, eu-xml, cordon-csv, cordon-ndjson\n", o.format);
    return kExitUsage;
  }
  auto entities = scr::read_list(o.path, *format, o.list);
  if (!entities) {
    // Refused whole: the active list in the store is untouched.
    fmt::print(stderr, "{}: refused, nothing imported: {}\n", o.path, entities.error().to_string());
    return kExitFailure;
  }
  std::string list = o.list;
  if (list.empty()) list = entities->empty() ? std::string(scr::to_string(*format)) : entities->front().list;
  auto store = open_store(o.store);
  if (!store) {
    spdlog::error("cannot open the store: {}", store.error().message);
    return kExitUnavailable;
  }
  assessment::ScreeningService service(**store, {});
  if (auto loaded = service.load(); !loaded) {
    spdlog::error("cannot load the watch lists: {}", loaded.error().message);
    return kExitUnavailable;
  }
  auto outcome = service.import_list(list, std::move(*entities), "cli:lists-import", o.path);
  if (!outcome) {
    spdlog::error("import failed: {}", outcome.error().message);
    return kExitUnavailable;
  }
  const auto& r = outcome->report;
  fmt::print("{} version {}: {} entities ({} added, {} changed, {} removed); re-screened {} recent declarations, {} new "
             "hits\n",
             r.list, r.version, r.entity_count, r.added, r.changed, r.removed, outcome->rescreened_declarations,
             outcome->new_hits);
  return kExitOk;
}

int run_lists_status(const StoreOptions& o) {
  auto store = open_store(o);
  if (!store) {
    spdlog::error("cannot open the store: {}", store.error().message);
    return kExitUnavailable;
  }
  auto versions = (*store)->list_watchlist_versions();
  if (!versions) {
    spdlog::error("{}", versions.error().message);
    return kExitUnavailable;
  }
  std::map<std::string, store::WatchlistVersion> latest;
  for (const auto& v : *versions) latest[v.list] = v;
  if (latest.empty()) fmt::print("no watch lists; import one with `cordon lists import`\n");
  for (const auto& [list, v] : latest) {
    if (v.entity_count == 0 && v.source == "drop") continue;
    fmt::print("{:<20} version {:<4} {:>8} entities   imported {} by {} from {}\n", list, v.version, v.entity_count,
               v.imported_at, v.actor, v.source);
  }
  return kExitOk;
}

struct ScreenOptions {
  StoreOptions store;
  std::string file, output = "-", format = "csv";
};

std::string csv_field(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

int run_screen(const ScreenOptions& o) {
  std::ifstream in(o.file, std::ios::binary);
  if (!in) {
    fmt::print(stderr, "cannot open {}\n", o.file);
    return kExitUsage;
  }
  in.seekg(0, std::ios::end);
  auto size = static_cast<std::size_t>(in.tellg());
  in.seekg(0);
  auto store = open_store(o.store);
  if (!store) {
    spdlog::error("cannot open the store: {}", store.error().message);
    return kExitUnavailable;
  }
  assessment::ScreeningService service(**store, {});
  if (auto loaded = service.load(); !loaded) {
    spdlog::error("cannot load the watch lists: {}", loaded.error().message);
    return kExitUnavailable;
  }
  auto screener = service.screener();
  std::ofstream file_out;
  if (o.output != "-") file_out.open(o.output, std::ios::binary);
  std::ostream& out = o.output == "-" ? std::cout : file_out;
  if (o.format == "csv") out << "line,reference,path,value,score,list,entity_id,matched_field,matched_value,explanation\n";
  Progress progress("screening", size);
  std::string line;
  std::size_t number = 0, bytes = 0, declarations = 0, with_hits = 0, invalid = 0;
  while (std::getline(in, line)) {
    ++number;
    bytes += line.size() + 1;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto declaration = parse_declaration(line);
    if (!declaration) {
      ++invalid;
      fmt::print(stderr, "line {}: {}\n", number, declaration.error().front().to_string());
      continue;
    }
    ++declarations;
    auto hits = screener->screen_declaration(*declaration);
    if (!hits.empty()) ++with_hits;
    for (const auto& h : hits) {
      if (o.format == "csv") {
        out << number << ',' << csv_field(declaration->reference) << ',' << csv_field(h.path) << ','
            << csv_field(h.value) << ',' << fmt::format("{:.3f}", h.hit.score) << ',' << csv_field(h.hit.entity->list)
            << ',' << csv_field(h.hit.entity->id) << ',' << csv_field(h.hit.matched_field) << ','
            << csv_field(h.hit.matched_value) << ',' << csv_field(h.hit.explanation) << '\n';
      } else {
        out << json({{"line", number}, {"reference", declaration->reference}, {"path", h.path}, {"value", h.value},
                     {"score", h.hit.score}, {"list", h.hit.entity->list}, {"entity_id", h.hit.entity->id},
                     {"matched_field", h.hit.matched_field}, {"matched_value", h.hit.matched_value},
                     {"explanation", h.hit.explanation}})
                   .dump(-1, ' ', false, json::error_handler_t::replace)
            << '\n';
      }
    }
    progress.update(bytes);
  }
  progress.finish();
  fmt::print(stderr, "{}: {} declarations screened, {} with hits, {} invalid lines skipped\n", o.file, declarations,
             with_hits, invalid);
  return invalid == 0 ? kExitOk : kExitFailure;
}

struct MatchOptions {
  std::vector<std::string> names;
  std::string type, pairs;
};

int run_match(const MatchOptions& o) {
  std::optional<scr::EntityType> type;
  if (!o.type.empty()) {
    type = scr::parse_entity_type(o.type);
    if (!type) {
      fmt::print(stderr, "--type: \"{}\" is not person, organisation or vessel\n", o.type);
      return kExitUsage;
    }
  }
  if (!o.pairs.empty()) {
    // name1,name2[,type] per line; one score per line out, in order.
    std::ifstream in(o.pairs);
    if (!in) {
      fmt::print(stderr, "cannot open {}\n", o.pairs);
      return kExitUsage;
    }
    std::string line;
    std::size_t number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::vector<std::string> cells;
      std::string cell;
      bool quoted = false;
      for (std::size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
          cell += '"';
          ++i;
        } else if (c == '"') {
          quoted = !quoted;
        } else if (c == ',' && !quoted) {
          cells.push_back(std::move(cell));
          cell.clear();
        } else {
          cell += c;
        }
      }
      cells.push_back(std::move(cell));
      if (number == 1 && cells[0] == "name1") continue;  // header
      if (cells.size() < 2) {
        fmt::print(stderr, "line {}: expected name1,name2[,type]\n", number);
        return kExitFailure;
      }
      auto line_type = cells.size() > 2 && !cells[2].empty() ? scr::parse_entity_type(cells[2]) : type;
      fmt::print("{:.4f}\n", scr::match_names(cells[0], cells[1], line_type).score);
    }
    return kExitOk;
  }
  if (o.names.size() != 2) {
    fmt::print(stderr, "give two names, or --pairs FILE.csv\n");
    return kExitUsage;
  }
  auto m = scr::match_names(o.names[0], o.names[1], type);
  fmt::print("{:.4f}\n{}\n", m.score, m.explanation);
  return kExitOk;
}

}  // namespace

void register_screening(CLI::App& app, CommandRegistry& registry) {
  CLI::App* lists = app.add_subcommand("lists", "Watch lists: import and status");
  lists->require_subcommand(1);
  auto import = std::make_shared<ListsImportOptions>();
  CLI::App* i = lists->add_subcommand(
      "import",
      "Replace a watch list from a file and re-screen the last 30 days of declarations against what changed. A "
      "malformed file is refused whole, naming its line or element; the active list stays as it was.");
  i->add_option("PATH", import->path, "The list file (for ofac-sdn: the folder with sdn.csv, add.csv, alt.csv)")
      ->required();
  i->add_option("--format", import->format, "ofac-sdn, un-xml, eu-xml, cordon-csv or cordon-ndjson")->capture_default_str();
  i->add_option("--list", import->list, "The list's name (default: OFAC-SDN, UN-SC, EU-FSF; required for cordon-*)");
  add_store_options(*i, import->store);
  i->callback([import, &registry] { registry.set_exit_code(run_lists_import(*import)); });

  auto status = std::make_shared<StoreOptions>();
  CLI::App* st = lists->add_subcommand("status", "The lists in the store, their versions and sizes");
  add_store_options(*st, *status);
  st->callback([status, &registry] { registry.set_exit_code(run_lists_status(*status)); });

  auto screen = std::make_shared<ScreenOptions>();
  CLI::App* sc = app.add_subcommand("screen", "Screen the declarations of an NDJSON file against the stored watch lists");
  sc->add_option("FILE", screen->file, "NDJSON declarations")->required()->check(CLI::ExistingFile);
  sc->add_option("--out", screen->output, "Where to write the hits (- for standard output)")->capture_default_str();
  sc->add_option("--format", screen->format, "csv or json (one object per line)")
      ->check(CLI::IsMember({"csv", "json"}))
      ->capture_default_str();
  add_store_options(*sc, screen->store);
  sc->callback([screen, &registry] { registry.set_exit_code(run_screen(*screen)); });

  auto match = std::make_shared<MatchOptions>();
  CLI::App* m = app.add_subcommand("match", "Score how alike two names are, with the explanation");
  m->add_option("NAMES", match->names, "\"NAME A\" \"NAME B\"")->expected(0, 2);
  m->add_option("--type", match->type, "person, organisation or vessel");
  m->add_option("--pairs", match->pairs, "A CSV file of name1,name2[,type]: one score per line")->check(CLI::ExistingFile);
  m->callback([match, &registry] { registry.set_exit_code(run_match(*match)); });
}

}  // namespace cordon::cli
